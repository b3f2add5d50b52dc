#include "clients/render/png_codec.hpp"

#include <png.h>

#include <cstdint>
#include <cstring>

namespace nocturna::render {
namespace {

constexpr unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

void append_bytes(png_structp png, png_bytep data, png_size_t length) {
  static_cast<std::string*>(png_get_io_ptr(png))
      ->append(reinterpret_cast<const char*>(data), length);
}
void no_flush(png_structp) {}

bool little_endian() {
  const std::uint32_t one = 1;
  unsigned char first;
  std::memcpy(&first, &one, 1);
  return first == 1;
}

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
         std::uint32_t(p[3]);
}

struct read_cursor {
  const std::string* bytes;
  std::size_t pos = 0;
};

cairo_status_t read_chunk(void* closure, unsigned char* data, unsigned int length) {
  auto* c = static_cast<read_cursor*>(closure);
  if (c->bytes->size() - c->pos < length) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(data, c->bytes->data() + c->pos, length);
  c->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

std::optional<std::string> encode_png_rgb24(cairo_surface_t* surface) {
  if (cairo_image_surface_get_format(surface) != CAIRO_FORMAT_RGB24) return std::nullopt;
  cairo_surface_flush(surface);
  const int w = cairo_image_surface_get_width(surface);
  const int h = cairo_image_surface_get_height(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  unsigned char* data = cairo_image_surface_get_data(surface);
  if (!data || w <= 0 || h <= 0) return std::nullopt;

  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (!png) return std::nullopt;
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    return std::nullopt;
  }
  std::string out;
  out.reserve(static_cast<std::size_t>(w) * h / 4);
  // libpng reports errors by longjmp; nothing with a destructor is created below this point.
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return std::nullopt;
  }
  png_set_write_fn(png, &out, append_bytes, no_flush);
  png_set_IHDR(png, info, static_cast<png_uint_32>(w), static_cast<png_uint_32>(h), 8,
               PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_set_compression_level(png, 2);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
  png_write_info(png, info);
  // A cairo RGB24 pixel is a native-endian 32-bit 0xXXRRGGBB: B,G,R,X in memory on little-endian.
  if (little_endian()) {
    png_set_filler(png, 0, PNG_FILLER_AFTER);
    png_set_bgr(png);
  } else {
    png_set_filler(png, 0, PNG_FILLER_BEFORE);
  }
  for (int y = 0; y < h; ++y) png_write_row(png, data + static_cast<std::ptrdiff_t>(y) * stride);
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return out;
}

std::optional<png_size> read_png_size(std::string_view bytes) {
  // signature (8) + IHDR length (4) + "IHDR" (4) + width (4) + height (4) + ...
  if (bytes.size() < 8 + 8 + 13 + 4) return std::nullopt;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  if (std::memcmp(p, png_signature, 8) != 0) return std::nullopt;
  if (be32(p + 8) != 13 || std::memcmp(p + 12, "IHDR", 4) != 0) return std::nullopt;
  const std::uint32_t w = be32(p + 16), h = be32(p + 20);
  if (w == 0 || h == 0 || w > 0x7FFFFFFF || h > 0x7FFFFFFF) return std::nullopt;
  return png_size{static_cast<int>(w), static_cast<int>(h)};
}

cairo_surface_t* decode_png(const std::string& bytes) {
  read_cursor cursor{&bytes, 0};
  cairo_surface_t* s = cairo_image_surface_create_from_png_stream(read_chunk, &cursor);
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(s);
    return nullptr;
  }
  return s;
}

}  // namespace nocturna::render

// PNG bytes in and out of cairo images. Encoding goes through libpng with fast settings (zlib
// level 2, no row filters: on these flat, anti-aliased pictures that is both the smallest and about
// three times faster than cairo_surface_write_to_png's defaults).
#pragma once

#include <cairo.h>

#include <optional>
#include <string>
#include <string_view>

namespace nocturna::render {

// RGB PNG of an opaque CAIRO_FORMAT_RGB24 image; std::nullopt when libpng fails.
std::optional<std::string> encode_png_rgb24(cairo_surface_t* surface);

struct png_size {
  int width = 0, height = 0;
};

// Width and height from the PNG signature and IHDR header; std::nullopt when `bytes` do not start
// with the 8-byte PNG signature followed by a well-formed IHDR chunk.
std::optional<png_size> read_png_size(std::string_view bytes);

// An image decoded from PNG bytes with cairo (the caller destroys it with
// cairo_surface_destroy); nullptr when cairo cannot read them.
cairo_surface_t* decode_png(const std::string& bytes);

}  // namespace nocturna::render

#include "clients/sandbox/photos.hpp"

#include <algorithm>
#include <memory>

namespace nocturna::sandbox {
namespace {

constexpr std::size_t max_photo_bytes = 10 * 1024 * 1024;
constexpr int thumb_side = 320;

std::uint32_t be32(std::string_view s, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

std::uint32_t be16(std::string_view s, std::size_t at) {
  return (static_cast<unsigned char>(s[at]) << 8) | static_cast<unsigned char>(s[at + 1]);
}

std::optional<image_info> sniff_png(std::string_view b) {
  static const std::string_view magic("\x89PNG\r\n\x1a\n", 8);
  if (b.size() < 24 || b.substr(0, 8) != magic || b.substr(12, 4) != "IHDR") return std::nullopt;
  return image_info{"png", static_cast<int>(be32(b, 16)), static_cast<int>(be32(b, 20))};
}

bool is_sof_marker(unsigned char m) {
  return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

std::optional<image_info> sniff_jpeg(std::string_view b) {
  if (b.size() < 4 || static_cast<unsigned char>(b[0]) != 0xFF ||
      static_cast<unsigned char>(b[1]) != 0xD8) {
    return std::nullopt;
  }
  std::size_t i = 2;
  while (i + 9 < b.size()) {
    if (static_cast<unsigned char>(b[i]) != 0xFF) return std::nullopt;
    auto marker = static_cast<unsigned char>(b[i + 1]);
    if (is_sof_marker(marker)) {
      return image_info{"jpeg", static_cast<int>(be16(b, i + 7)), static_cast<int>(be16(b, i + 5))};
    }
    i += 2 + be16(b, i + 2);
  }
  return std::nullopt;
}

std::string file_id_text(const char* prefix, std::int64_t n, const char* suffix) {
  std::string digits = std::to_string(n);
  return std::string(prefix) + std::string(10 - std::min<std::size_t>(10, digits.size()), '0') +
         digits + suffix;
}

photo_size make_size(std::int64_t n, const char* kind, int w, int h, std::size_t bytes) {
  return photo_size{file_id_text("AgACAgIAAxkDAAIS", n, kind), file_id_text("AQADSbx", n, kind), w,
                    h, static_cast<std::int64_t>(bytes)};
}

}  // namespace

std::optional<image_info> sniff_image(std::string_view bytes) {
  if (auto png = sniff_png(bytes)) return png;
  return sniff_jpeg(bytes);
}

std::optional<std::string> check_photo(std::string_view bytes,
                                       const std::optional<image_info>& info) {
  if (bytes.size() > max_photo_bytes) return "Bad Request: file is too big";
  if (!info) return "Bad Request: IMAGE_PROCESS_FAILED";
  if (info->width <= 0 || info->height <= 0) return "Bad Request: PHOTO_INVALID_DIMENSIONS";
  const int longer = std::max(info->width, info->height);
  const int shorter = std::min(info->width, info->height);
  if (info->width + info->height > 10000 || longer > 20 * shorter) {
    return "Bad Request: PHOTO_INVALID_DIMENSIONS";
  }
  return std::nullopt;
}

std::vector<photo_size> photo_store::add(std::string bytes, const image_info& info) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::int64_t n = next_++;
  auto photo = std::make_shared<stored_photo>();
  photo->content_type = info.format == "png" ? "image/png" : "image/jpeg";
  const int longer = std::max(info.width, info.height);
  if (longer > thumb_side) {
    const double scale = static_cast<double>(thumb_side) / longer;
    int w = std::max(1, static_cast<int>(info.width * scale));
    int h = std::max(1, static_cast<int>(info.height * scale));
    photo->sizes.push_back(make_size(n, "m", w, h, bytes.size() / 4));
  }
  photo->sizes.push_back(make_size(n, "y", info.width, info.height, bytes.size()));
  photo->bytes = std::move(bytes);
  for (const auto& s : photo->sizes) by_file_id_[s.file_id] = photo;
  return photo->sizes;
}

std::optional<std::vector<photo_size>> photo_store::sizes_of(const std::string& file_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_file_id_.find(file_id);
  if (it == by_file_id_.end()) return std::nullopt;
  return it->second->sizes;
}

std::optional<std::pair<std::string, std::string>> photo_store::bytes_of(
    const std::string& file_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_file_id_.find(file_id);
  if (it == by_file_id_.end()) return std::nullopt;
  return std::make_pair(it->second->bytes, it->second->content_type);
}

}  // namespace nocturna::sandbox

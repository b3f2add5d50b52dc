// Uploaded pictures: their bytes (served to the web page) and the file ids handed to the bot.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clients/sandbox/chat_state.hpp"

namespace nocturna::sandbox {

struct image_info {
  std::string format;  // "png" or "jpeg"
  int width = 0;
  int height = 0;
};

// Reads the format and size of a PNG or JPEG; nothing for anything else.
std::optional<image_info> sniff_image(std::string_view bytes);

// Telegram's checks of an uploaded photo; returns a "Bad Request: …" description.
std::optional<std::string> check_photo(std::string_view bytes,
                                       const std::optional<image_info>& info);

struct stored_photo {
  std::string bytes;
  std::string content_type;
  std::vector<photo_size> sizes;  // smallest first
};

class photo_store {
 public:
  // Stores an upload and returns its PhotoSize list (a thumbnail and the original).
  std::vector<photo_size> add(std::string bytes, const image_info& info);
  // The PhotoSize list of a known file_id (any of its sizes), for re-sending.
  std::optional<std::vector<photo_size>> sizes_of(const std::string& file_id) const;
  // The bytes and content type of a file_id.
  std::optional<std::pair<std::string, std::string>> bytes_of(const std::string& file_id) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<const stored_photo>> by_file_id_;
  std::int64_t next_ = 1;
};

}  // namespace nocturna::sandbox

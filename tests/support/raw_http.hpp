// Raw TCP clients for attacking a local HTTP server in tests: requests written byte for byte
// (malformed, slow, compressed, never-ending), which an HTTP client library would not send.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace nocturna::testing {

// A connected loopback socket, closed when the object goes. `wait` false: the connect is started
// without waiting for it (many at once, even when the server's accept queue is full).
class raw_connection {
 public:
  explicit raw_connection(int port, bool wait = true);
  ~raw_connection();
  raw_connection(raw_connection&& other) noexcept;
  raw_connection(const raw_connection&) = delete;
  raw_connection& operator=(const raw_connection&) = delete;

  bool ok() const { return fd_ >= 0; }
  // Writes all of `bytes`; false once the server closed or reset the connection, or the write
  // could not finish within `timeout`.
  bool send(std::string_view bytes,
            std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
  // Everything the server sends until it closes the connection or `timeout` passes.
  std::string read_all(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

 private:
  int fd_ = -1;
};

// The status code of an HTTP response's first line, 0 when there is none.
int status_of(std::string_view response);

// A gzip stream that inflates to `inflated_bytes` zero bytes (a "gzip bomb").
std::string gzip_of_zeros(std::size_t inflated_bytes);

}  // namespace nocturna::testing

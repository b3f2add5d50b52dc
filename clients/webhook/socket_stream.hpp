// An httplib::Stream over an accepted socket whose request head was already read by the
// head_collector: those bytes are served first, then the socket, and every wait ends at one
// deadline for the whole request, so a slow client cannot hold a worker longer than that.
#pragma once

#include <httplib.h>

#include <chrono>
#include <string>

namespace nocturna::webhook {

class socket_stream final : public httplib::Stream {
 public:
  socket_stream(int fd, std::string already_read, std::chrono::steady_clock::time_point deadline);

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return fd_; }

 private:
  bool wait_for(short events) const;  // false once the deadline passed or the socket failed

  int fd_;
  std::string buffered_;
  std::size_t offset_ = 0;
  std::chrono::steady_clock::time_point deadline_;
};

// "1.2.3.4" / "::1" and the port of a socket address; empty ip when it cannot be told.
void describe_address(const sockaddr_storage& addr, std::string& ip, int& port);

}  // namespace nocturna::webhook

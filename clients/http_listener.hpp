// Starting and stopping a cpp-httplib server on its own thread, shared by the local servers
// (health, webhook, sandbox, calc serve). httplib 0.11 has no wait-until-ready: the socket listens
// once bind returns.
#pragma once

#include <httplib.h>
#include <sys/socket.h>

#include <stdexcept>
#include <string>
#include <thread>

namespace nocturna {

namespace detail {
// Reaches httplib::Server's protected listening socket: `&server_socket::svr_sock_` names the
// base class's member, so it applies to any httplib::Server.
struct server_socket : httplib::Server {
  static constexpr auto member = &server_socket::svr_sock_;
};
}  // namespace detail

// Debian's libcpp-httplib is compiled with a listen backlog of 5 (the header's
// CPPHTTPLIB_LISTEN_BACKLOG does not reach the library). A burst of new connections (the bot's
// TELEGRAM_CONNECTIONS opening at once, Telegram's webhook deliveries) overflows that while the
// accepting thread waits for a CPU, and an overflowed connection can be reset after its request
// was written. Call after bind: listening again on a listening socket only resizes its queue (the
// kernel caps it at net.core.somaxconn).
inline void widen_listen_backlog(httplib::Server& http, int backlog = 4096) {
  ::listen((http.*detail::server_socket::member).load(), backlog);
}

// Binds `http` (port 0 = ephemeral) and serves on `thread`; returns the bound port. Throws
// std::runtime_error naming `variable` when the address cannot be bound.
inline int listen_in_background(httplib::Server& http, const std::string& host, int port,
                                const char* variable, std::thread& thread) {
  int bound = port == 0 ? http.bind_to_any_port(host.c_str())
                        : (http.bind_to_port(host.c_str(), port) ? port : -1);
  if (bound < 0)
    throw std::runtime_error(std::string(variable) + ": cannot listen on " + host + ":" +
                             std::to_string(port));
  widen_listen_backlog(http);
  thread = std::thread([&http] { http.listen_after_bind(); });
  return bound;
}

// Stops serving and joins the thread; safe to call twice.
inline void stop_listening(httplib::Server* http, std::thread& thread) {
  if (http) http->stop();
  if (thread.joinable()) thread.join();
}

}  // namespace nocturna

// Starting and stopping a cpp-httplib server on its own thread, shared by the local servers
// (health, webhook). httplib 0.11 has no wait-until-ready: the socket listens once bind returns.
#pragma once

#include <httplib.h>

#include <stdexcept>
#include <string>
#include <thread>

namespace nocturna {

// Binds `http` (port 0 = ephemeral) and serves on `thread`; returns the bound port. Throws
// std::runtime_error naming `variable` when the address cannot be bound.
inline int listen_in_background(httplib::Server& http, const std::string& host, int port,
                                const char* variable, std::thread& thread) {
  int bound = port == 0 ? http.bind_to_any_port(host.c_str())
                        : (http.bind_to_port(host.c_str(), port) ? port : -1);
  if (bound < 0)
    throw std::runtime_error(std::string(variable) + ": cannot listen on " + host + ":" +
                             std::to_string(port));
  thread = std::thread([&http] { http.listen_after_bind(); });
  return bound;
}

// Stops serving and joins the thread; safe to call twice.
inline void stop_listening(httplib::Server* http, std::thread& thread) {
  if (http) http->stop();
  if (thread.joinable()) thread.join();
}

}  // namespace nocturna

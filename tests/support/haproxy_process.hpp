// Debian's HAProxy in front of several webhook instances, for the end-to-end tests of several
// instances on one database (tests/e2e/webhook_instances_test.cpp), or as a TLS front with HTTP/2
// before one plain server (tests/e2e/tls_api_test.cpp). No port is chosen ahead: the
// test binds the listening socket on an ephemeral port and HAProxy inherits it (`bind fd@3`); the
// instances bind ephemeral ports too, so a restarted one is pointed at over HAProxy's admin
// socket. Each instance is checked like docs/architecture.md "Several instances" recommends to
// operators: GET /health on its health port.
#pragma once

#include <string>
#include <vector>

namespace nocturna::testing {

struct haproxy_backend {
  int webhook_port = 0;
  int health_port = 0;
};

class haproxy_process {
 public:
  // Listens at once (deliveries wait in the socket's backlog until HAProxy runs).
  explicit haproxy_process(std::string dir);
  ~haproxy_process();  // stops it
  haproxy_process(const haproxy_process&) = delete;
  haproxy_process& operator=(const haproxy_process&) = delete;

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Writes the configuration with one server per backend and starts HAProxy.
  void start(const std::vector<haproxy_backend>& backends);
  // Starts HAProxy as a TLS front (`combined_pem`: certificate and key) before the plain HTTP/1.1
  // server on `server_port`: a client gets HTTP/2 or HTTP/1.1, as it offers (ALPN).
  void start_tls(const std::string& combined_pem, int server_port);
  std::string https_url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  // Points server `index` at a restarted instance's ports.
  void set_backend(int index, const haproxy_backend& backend);
  // How many servers pass their health check now.
  int servers_up();
  // One command on the admin socket; its answer ("" when the socket cannot be reached).
  std::string admin(const std::string& command) const;

 private:
  // Writes the global section and the defaults both uses share, then `config` (its first lines
  // may add defaults), and starts HAProxy with it.
  void run(const std::string& config);

  std::string dir_;
  int listen_fd_ = -1;
  int port_ = 0;
  int pid_ = -1;
};

}  // namespace nocturna::testing

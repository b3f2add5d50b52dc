#include "tests/support/self_signed_cert.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace nocturna::testing {

self_signed_cert make_self_signed_cert(const std::string& dir) {
  self_signed_cert c{dir + "/cert.pem", dir + "/key.pem", dir + "/cert-and-key.pem"};
  // The address in subjectAltName: clients check the IP they connected to against it.
  const std::string openssl =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
      "-addext subjectAltName=IP:127.0.0.1 -keyout '" +
      c.key + "' -out '" + c.cert + "' >/dev/null 2>&1";
  if (std::system(openssl.c_str()) != 0) throw std::runtime_error("openssl req failed");
  std::ofstream out(c.combined);
  out << std::ifstream(c.cert).rdbuf() << std::ifstream(c.key).rdbuf();
  return c;
}

}  // namespace nocturna::testing

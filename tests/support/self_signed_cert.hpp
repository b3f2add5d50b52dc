// A throw-away certificate for 127.0.0.1, made with Debian's openssl for the tests' TLS servers
// (nghttpd, HAProxy): the client trusts exactly this file, as an operator would trust a private
// certificate authority (TELEGRAM_CA_FILE).
#pragma once

#include <string>

namespace nocturna::testing {

struct self_signed_cert {
  std::string cert;      // the certificate (PEM): what a client trusts
  std::string key;       // its private key (PEM)
  std::string combined;  // certificate and key in one file, as HAProxy's `crt` wants them
};

// Writes the three files into `dir`; throws std::runtime_error when openssl fails.
self_signed_cert make_self_signed_cert(const std::string& dir);

}  // namespace nocturna::testing

// The bot against a Bot API over TLS, as api.telegram.org is reached: HAProxy terminates TLS
// with a throw-away certificate before the sandbox and offers HTTP/2 and HTTP/1.1 (ALPN). The
// long poll speaks HTTP/1.1 (clients/telegram/telegram_client.hpp), every other call goes
// through the Bot API loop, which multiplexes them over HTTP/2 (clients/telegram/bot_api_loop.hpp).
#include <doctest/doctest.h>

#include "tests/e2e/harness.hpp"
#include "tests/support/haproxy_process.hpp"
#include "tests/support/self_signed_cert.hpp"

using namespace nocturna;
using namespace nocturna::testing;

namespace {

constexpr const char* http2_line = "the Bot API server speaks HTTP/2";

struct tls_front {
  self_signed_cert cert;
  haproxy_process proxy;

  explicit tls_front(harness& h) : cert(make_self_signed_cert(h.dir.path())), proxy(h.dir.path()) {
    const auto url = h.sandbox_server->base_url();  // http://127.0.0.1:P
    proxy.start_tls(cert.combined, std::stoi(url.substr(url.rfind(':') + 1)));
  }
};

}  // namespace

TEST_CASE("e2e tls: trusting TELEGRAM_CA_FILE, the bot polls and answers over TLS, HTTP/2 calls") {
  harness h;
  tls_front front(h);
  h.start_bot({{"BOT_MODE", "polling"},
               {"TELEGRAM_API_URL", front.proxy.https_url()},
               {"TELEGRAM_CA_FILE", front.cert.cert}});
  for (std::int64_t chat = 1; chat <= 5; ++chat) h.control->send(chat, "/start");
  for (std::int64_t chat = 1; chat <= 5; ++chat)
    CHECK(h.wait_replies(chat, 1).bot_messages().size() == 1);
  CHECK(wait_until([&] { return h.log_file().find(http2_line) != std::string::npos; }));
  CHECK(h.log_file().find(e2e_token) == std::string::npos);
}

TEST_CASE("e2e tls: without the certificate trusted, no call reaches the server") {
  harness h;
  tls_front front(h);
  h.start_bot({{"BOT_MODE", "polling"}, {"TELEGRAM_API_URL", front.proxy.https_url()}});
  // The first refused handshake is logged (by libcurl's or OpenSSL's words for it).
  CHECK(wait_until([&] {
    auto log = h.log_file();
    return log.find("certificate") != std::string::npos ||
           log.find("SSL server verification failed") != std::string::npos;
  }));
  h.control->send(6, "/start");
  // A refused handshake sends no request: the sandbox saw no call at all.
  CHECK(h.control->calls().calls.empty());
  CHECK(h.log_file().find(e2e_token) == std::string::npos);
}

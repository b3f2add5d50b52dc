// The Bot API loop (clients/telegram/bot_api_loop.hpp) against a real loopback server that
// misbehaves on cue (tests/support/keepalive_server.hpp): keep-alive reuse, one more try on a new
// connection when a reused one dies before any answer byte, no retry once a request went out
// whole, many calls in flight on a bounded number of connections, and a stop that answers every
// call in flight; and over HTTP/2 (nghttpd), many calls at once on one connection.
#include "clients/telegram/bot_api_loop.hpp"

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <vector>

#include "tests/support/bot_process.hpp"
#include "tests/support/keepalive_server.hpp"
#include "tests/support/self_signed_cert.hpp"
#include "tests/support/time_factor.hpp"

using namespace nocturna;
using namespace nocturna::testing;
using action = keepalive_server::action;
using std::chrono::milliseconds;

namespace {

bot::bot_api_loop::options loop_options(const keepalive_server& server, int connections = 2) {
  return {server.url(), "123:loop-test", connections, milliseconds(20000), ""};
}

bot::bot_api_request send_message(milliseconds timeout = milliseconds(5000)) {
  bot::bot_api_request r;
  r.method = "sendMessage";
  r.json_body = R"({"chat_id":1,"text":"hi"})";
  r.timeout = timeout;
  return r;
}

// Answers gathered from the loop's thread.
class answers {
 public:
  bot::bot_api_loop::on_answer collector() {
    return [this](bot::api_response r) {
      std::lock_guard<std::mutex> guard(mutex_);
      got_.push_back(std::move(r));
      changed_.notify_all();
    };
  }
  std::vector<bot::api_response> wait_for(std::size_t n) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(20), [&] { return got_.size() >= n; });
    return got_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<bot::api_response> got_;
};

}  // namespace

TEST_CASE("bot API loop: calls one after another reuse one keep-alive connection") {
  keepalive_server server;
  bot::bot_api_loop loop(loop_options(server));
  CHECK(loop.call(send_message()).succeeded());
  CHECK(loop.call(send_message()).succeeded());
  CHECK(loop.call(send_message()).succeeded());
  CHECK(server.request_connections() == std::vector<int>{1, 1, 1});
  CHECK(loop.capacity() == 2);  // HTTP/1.1: one call per connection at a time
}

TEST_CASE("bot API loop: EOF before any answer on a reused connection: once more, new one") {
  keepalive_server server;
  server.on_request(2, action::close);
  bot::bot_api_loop loop(loop_options(server));
  REQUIRE(loop.call(send_message()).succeeded());
  CHECK(loop.call(send_message()).succeeded());
  CHECK(server.request_connections() == std::vector<int>{1, 1, 2});
}

TEST_CASE("bot API loop: a reset before any answer on a reused connection is retried") {
  keepalive_server server;
  server.on_request(2, action::reset);
  bot::bot_api_loop loop(loop_options(server));
  REQUIRE(loop.call(send_message()).succeeded());
  bot::bot_api_request edit;
  edit.method = "editMessageText";
  edit.json_body = R"({"chat_id":1,"message_id":2,"text":"x"})";
  CHECK(loop.call(edit).succeeded());
  CHECK(server.request_connections() == std::vector<int>{1, 1, 2});
}

TEST_CASE("bot API loop: an upload reset mid-body on a reused connection is made once more") {
  keepalive_server server;
  server.on_request(2, action::reset_in_body);
  bot::bot_api_loop loop(loop_options(server));
  REQUIRE(loop.call(send_message()).succeeded());
  // A body far larger than the socket buffers: the reset lands while it is still being written.
  bot::bot_api_request photo;
  photo.method = "sendPhoto";
  photo.fields = {{"chat_id", "1"}};
  photo.file = bot::upload_file{"photo", "big.png", "image/png", std::string(8 << 20, 'x')};
  CHECK(loop.call(photo).succeeded());
  CHECK(server.request_connections() == std::vector<int>{1, 1, 2});
}

TEST_CASE("bot API loop: a fresh connection closed after the request is a failure, not retried") {
  keepalive_server server;
  server.on_request(1, action::close);
  bot::bot_api_loop loop(loop_options(server));
  auto r = loop.call(send_message());
  CHECK_FALSE(r.succeeded());
  CHECK(r.kind == bot::outcome::transient);
  CHECK(r.maybe_delivered);  // the request went out whole: the sender decides by method
  CHECK(r.description.find("123:loop-test") == std::string::npos);  // no token in the text
  CHECK(server.request_connections() == std::vector<int>{1});
}

TEST_CASE("bot API loop: no answer within the timeout after a fully sent call is not retried") {
  keepalive_server server;
  server.on_request(2, action::hang);
  bot::bot_api_loop loop(loop_options(server));
  REQUIRE(loop.call(send_message()).succeeded());
  auto r = loop.call(send_message(milliseconds(300)));
  CHECK_FALSE(r.succeeded());
  CHECK(r.maybe_delivered);
  CHECK(server.request_connections() == std::vector<int>{1, 1});
}

TEST_CASE("bot API loop: a server that is not there: failure, not delivered") {
  // Port 1: nothing listens there, so the connection is refused at once (a port free a moment ago
  // could be taken by another test's server meanwhile).
  bot::bot_api_loop loop({"http://127.0.0.1:1", "1:x", 2, milliseconds(1000), ""});
  auto r = loop.call(send_message());
  CHECK(r.kind == bot::outcome::transient);
  CHECK_FALSE(r.maybe_delivered);
}

TEST_CASE("bot API loop: many calls at once share the bounded connections and all are answered") {
  keepalive_server server;
  bot::bot_api_loop loop(loop_options(server, 3));
  answers got;
  constexpr std::size_t calls = 60;
  for (std::size_t i = 0; i < calls; ++i) loop.submit(send_message(), got.collector());
  auto all = got.wait_for(calls);
  REQUIRE(all.size() == calls);
  for (auto& r : all) CHECK(r.succeeded());
  auto used = server.request_connections();
  CHECK(used.size() == calls);
  CHECK(*std::max_element(used.begin(), used.end()) <= 3);  // never more connections than asked
  CHECK(loop.in_flight() == 0);
}

TEST_CASE("bot API loop: stop answers the calls in flight and refuses new ones") {
  keepalive_server server;
  server.on_request(1, action::hang);
  bot::bot_api_loop loop(loop_options(server));
  answers got;
  loop.submit(send_message(milliseconds(60000)), got.collector());
  // The call is at the server (it hangs there) before the loop is stopped.
  REQUIRE(wait_until([&] { return !server.request_connections().empty(); }, 10000));
  REQUIRE(server.request_connections().size() == 1);
  loop.stop();
  auto first = got.wait_for(1);
  REQUIRE(first.size() == 1);
  CHECK(first[0].description.find("stopped") != std::string::npos);
  auto after = loop.call(send_message());
  CHECK(after.description.find("stopped") != std::string::npos);
  CHECK(loop.in_flight() == 0);
}

namespace {

// nghttpd (Debian nghttp2-server), an HTTP/2-only server over TLS, serving the answer of every
// call from a file: what api.telegram.org speaks, on a loopback ephemeral port.
class http2_server {
 public:
  explicit http2_server(const std::string& token) {
    auto docs = dir_.path() + "/docs/bot" + token;
    std::filesystem::create_directories(docs);
    std::ofstream(docs + "/sendMessage") << R"({"ok":true,"result":{"message_id":1}})";
    cert_ = make_self_signed_cert(dir_.path());
    auto docroot = dir_.path() + "/docs";
    const auto& key = cert_.key;
    const auto& crt = cert_.cert;
    pid_ = spawn_with_output(dir_.path() + "/nghttpd-output.txt", [&] {
      ::execl("/usr/sbin/nghttpd", "nghttpd", "-d", docroot.c_str(), "0", key.c_str(), crt.c_str(),
              static_cast<char*>(nullptr));
    });
    // The port it bound: its listening socket's inode in /proc/net/tcp.
    wait_until([&] { return (port_ = listening_port()) != 0; }, 10000);
  }
  ~http2_server() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }
  std::string cert() const { return cert_.cert; }

 private:
  int listening_port() const {
    std::set<std::string> inodes;
    auto fds = "/proc/" + std::to_string(pid_) + "/fd";
    std::error_code ec;
    for (auto& fd : std::filesystem::directory_iterator(fds, ec)) {
      auto target = std::filesystem::read_symlink(fd.path(), ec).string();
      if (target.rfind("socket:[", 0) == 0) inodes.insert(target.substr(8, target.size() - 9));
    }
    std::ifstream tcp("/proc/net/tcp");
    std::string line;
    std::getline(tcp, line);
    while (std::getline(tcp, line)) {
      std::istringstream in(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      in >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >>
          inode;
      if (state == "0A" && inodes.count(inode))  // LISTEN
        return std::stoi(local.substr(local.find(':') + 1), nullptr, 16);
    }
    return 0;
  }

  temp_dir dir_;
  self_signed_cert cert_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace

TEST_CASE("bot API loop: over HTTP/2 many calls share one connection at once") {
  const std::string token = "42:h2-test";
  http2_server server(token);
  REQUIRE(server.port() != 0);
  bot::bot_api_loop::options o{"https://127.0.0.1:" + std::to_string(server.port()), token, 1,
                               milliseconds(20000), server.cert()};
  bot::bot_api_loop loop(o);
  CHECK(loop.capacity() == 1);  // before any answer: one call per connection
  REQUIRE(loop.call(send_message()).succeeded());
  CHECK(loop.capacity() == 100);  // the server answered over HTTP/2: 100 streams per connection
  answers got;
  constexpr std::size_t calls = 100;
  for (std::size_t i = 0; i < calls; ++i) loop.submit(send_message(), got.collector());
  auto all = got.wait_for(calls);
  REQUIRE(all.size() == calls);
  for (auto& r : all) CHECK(r.succeeded());
}

#include "clients/telegram/bot_api_loop.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "protocol/url.hpp"

namespace nocturna::bot {
namespace {

constexpr auto connect_timeout = std::chrono::seconds(10);
// A Bot API answer is a few KB; a server sending more is not the Bot API.
constexpr std::size_t answer_limit = 4 << 20;
// What one HTTP/2 connection carries at once (libcurl's default cap of concurrent streams).
constexpr std::size_t streams_per_connection = 100;

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw std::runtime_error("libcurl could not be initialised");
  });
}

// Easy handles kept for reuse once their call is done: a fresh one costs several allocations.
constexpr std::size_t spare_handles_kept = 256;

// One call in the loop: the request it keeps alive (libcurl reads the body in place), its answer
// as it arrives and whom to tell. The easy handle is lent by the loop while the call runs.
struct transfer {
  CURL* easy = nullptr;
  curl_slist* own_headers = nullptr;  // a multipart call's (its boundary); JSON calls share one
  std::string url;
  std::string body;
  std::string answer;
  long timeout_ms = 0;
  bool too_long = false;
  bool retried = false;  // made once more on a new connection already
  std::string log_name;
  bot_api_loop::on_answer done;

  ~transfer() {
    if (own_headers) curl_slist_free_all(own_headers);
  }
};

std::size_t on_data(char* data, std::size_t size, std::size_t count, void* user) {
  auto& t = *static_cast<transfer*>(user);
  auto n = size * count;
  if (t.answer.size() + n > answer_limit) {
    t.too_long = true;
    return 0;  // libcurl ends the call with CURLE_WRITE_ERROR
  }
  t.answer.append(data, n);
  return n;
}

}  // namespace

struct bot_api_loop::impl {
  options opt;
  http_target base;
  CURLM* multi = nullptr;
  std::thread thread;

  mutable std::mutex mutex;
  std::deque<std::unique_ptr<transfer>> incoming;  // handed over, not yet in the multi handle
  bool stopping = false;

  // In the multi handle, owned here (the loop's thread alone touches it).
  std::unordered_map<CURL*, std::unique_ptr<transfer>> active;

  std::vector<CURL*> spare;            // easy handles of finished calls (loop thread only)
  curl_slist* json_headers = nullptr;  // the headers of every JSON call

  std::atomic<std::size_t> calls{0};  // handed over and not yet answered
  std::atomic<bool> multiplexed{false};

  // libcurl tells which sockets to watch and when its next timeout is due (its "socket
  // interface"), so each wake-up drives only the transfers on a ready socket, not every call in
  // flight. `wake_fd` is written when calls are handed over or the loop is stopped.
  int epoll_fd = -1;
  int wake_fd = -1;
  std::optional<std::chrono::steady_clock::time_point> curl_due;

  explicit impl(options o) : opt(std::move(o)), base(api_base(opt.api_url, "API URL")) {
    init_curl_once();
    epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
    wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_event wake{};
    wake.events = EPOLLIN;
    wake.data.fd = wake_fd;
    if (epoll_fd < 0 || wake_fd < 0 || ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, wake_fd, &wake) != 0) {
      close_fds();
      throw std::runtime_error("the Bot API loop could not create its epoll set");
    }
    multi = curl_multi_init();
    if (!multi) {
      close_fds();
      throw std::runtime_error("libcurl multi handle could not be created");
    }
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, on_timer);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
    auto connections = static_cast<long>(std::max(1, opt.connections));
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, connections);
    curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, connections);
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, connections);
    curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    json_headers = curl_slist_append(json_headers, "Content-Type: application/json");
    // No "Expect: 100-continue" round trip before a large body.
    json_headers = curl_slist_append(json_headers, "Expect:");
    if (!json_headers) throw std::bad_alloc();
    thread = std::thread([this] { run(); });
  }

  ~impl() {
    stop();
    for (auto* e : spare) curl_easy_cleanup(e);
    curl_multi_cleanup(multi);  // may still call on_socket: the epoll set goes after it
    curl_slist_free_all(json_headers);
    close_fds();
  }

  void close_fds() {
    if (epoll_fd >= 0) ::close(epoll_fd);
    if (wake_fd >= 0) ::close(wake_fd);
    epoll_fd = wake_fd = -1;
  }

  void stop() {
    {
      std::lock_guard<std::mutex> guard(mutex);
      if (stopping && !thread.joinable()) return;
      stopping = true;
    }
    wake();
    if (thread.joinable() && thread.get_id() != std::this_thread::get_id()) thread.join();
  }

  void wake() const {
    const std::uint64_t one = 1;
    // Cannot fail but when the counter is full, and then the loop is due to wake anyway.
    [[maybe_unused]] auto n = ::write(wake_fd, &one, sizeof one);
  }

  // libcurl's socket callback: watch `s` for what it waits for, or no longer.
  static int on_socket(CURL*, curl_socket_t s, int what, void* self_ptr, void* watched) {
    auto& self = *static_cast<impl*>(self_ptr);
    if (what == CURL_POLL_REMOVE) {
      ::epoll_ctl(self.epoll_fd, EPOLL_CTL_DEL, s, nullptr);
      curl_multi_assign(self.multi, s, nullptr);
      return 0;
    }
    epoll_event ev{};
    ev.data.fd = s;
    ev.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0u) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0u);
    // Should the kernel's view differ from libcurl's (a socket number closed and reused), the
    // other operation; -1 would fail every call of the multi handle.
    const int op = watched ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    const int other = watched ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    if (::epoll_ctl(self.epoll_fd, op, s, &ev) != 0 &&
        ::epoll_ctl(self.epoll_fd, other, s, &ev) != 0)
      return -1;
    if (!watched) curl_multi_assign(self.multi, s, &self);  // any non-null mark: "watched"
    return 0;
  }

  // libcurl's timer callback: when it next wants to be called without a socket event.
  static int on_timer(CURLM*, long timeout_ms, void* self_ptr) {
    auto& self = *static_cast<impl*>(self_ptr);
    if (timeout_ms < 0)
      self.curl_due.reset();
    else
      self.curl_due = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    return 0;
  }

  // On the caller's thread: what the call sends.
  std::unique_ptr<transfer> prepare(bot_api_request& r, on_answer done) {
    auto t = std::make_unique<transfer>();
    t->done = std::move(done);
    t->log_name = telegram_client::log_name(r.method);
    t->url = base.origin + base.path + "/bot" + opt.token + "/" + r.method;
    t->timeout_ms = std::max<long>(1, static_cast<long>(r.timeout.count()));
    if (r.file) {
      auto boundary = random_boundary();
      t->body = multipart_body(r.fields, *r.file, boundary);
      auto content_type = "Content-Type: multipart/form-data; boundary=" + boundary;
      t->own_headers = curl_slist_append(nullptr, content_type.c_str());
      t->own_headers = curl_slist_append(t->own_headers, "Expect:");
      if (!t->own_headers) throw std::bad_alloc();
    } else {
      t->body = std::move(r.json_body);
    }
    return t;
  }

  // On the loop's thread: an easy handle (a spare one when there is one) set up for the call.
  CURL* attach(transfer& t) {
    CURL* e = nullptr;
    if (spare.empty()) {
      e = curl_easy_init();
      if (!e) return nullptr;
    } else {
      e = spare.back();
      spare.pop_back();
      curl_easy_reset(e);
    }
    t.easy = e;
    curl_easy_setopt(e, CURLOPT_URL, t.url.c_str());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.own_headers ? t.own_headers : json_headers);
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, t.body.data());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(t.body.size()));
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, t.timeout_ms);
    curl_easy_setopt(
        e, CURLOPT_CONNECTTIMEOUT_MS,
        std::min<long>(t.timeout_ms, std::chrono::milliseconds(connect_timeout).count()));
    curl_easy_setopt(e, CURLOPT_MAXAGE_CONN,
                     static_cast<long>((opt.max_idle.count() + 999) / 1000));
    // HTTP/2 where TLS offers it, HTTP/1.1 otherwise; a call waits for a stream on a connection
    // that multiplexes rather than opening another connection.
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
    if (!opt.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, opt.ca_file.c_str());
    return e;
  }

  // A reused keep-alive connection that failed before any answer byte (the server closed it as
  // the call went out): the server never answered, so it never acted, and the call is made once
  // more on a new connection within what is left of its timeout. libcurl does this itself when
  // the failure shows while reading, not when it shows while writing the body.
  bool retry_on_new_connection(transfer& t, CURLcode rc) {
    if (t.retried || (rc != CURLE_SEND_ERROR && rc != CURLE_RECV_ERROR && rc != CURLE_GOT_NOTHING))
      return false;
    long new_connections = 0, header_bytes = 0;
    curl_off_t elapsed_us = 0;
    curl_easy_getinfo(t.easy, CURLINFO_NUM_CONNECTS, &new_connections);
    curl_easy_getinfo(t.easy, CURLINFO_HEADER_SIZE, &header_bytes);
    curl_easy_getinfo(t.easy, CURLINFO_TOTAL_TIME_T, &elapsed_us);
    auto left_ms = t.timeout_ms - static_cast<long>(elapsed_us / 1000);
    if (new_connections != 0 || header_bytes != 0 || !t.answer.empty() || left_ms <= 0)
      return false;
    spdlog::warn(
        "[telegram] {}: {} on a reused keep-alive connection before any answer: once more on a "
        "new connection",
        t.log_name, curl_easy_strerror(rc));
    t.retried = true;
    curl_multi_remove_handle(multi, t.easy);
    curl_easy_setopt(t.easy, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(t.easy, CURLOPT_TIMEOUT_MS, left_ms);
    curl_multi_add_handle(multi, t.easy);
    return true;
  }

  // Takes the handle back from a finished call.
  void detach(transfer& t) {
    curl_multi_remove_handle(multi, t.easy);
    if (spare.size() < spare_handles_kept)
      spare.push_back(t.easy);
    else
      curl_easy_cleanup(t.easy);
    t.easy = nullptr;
  }

  // The answer of a finished call; also notes whether the server multiplexes.
  api_response answer_of(transfer& t, CURLcode rc) {
    if (rc == CURLE_OK) {
      long status = 0, version = 0;
      curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
      curl_easy_getinfo(t.easy, CURLINFO_HTTP_VERSION, &version);
      if (version == CURL_HTTP_VERSION_2_0 && !multiplexed.exchange(true))
        spdlog::info(
            "[bot_api] the Bot API server speaks HTTP/2: up to {} calls at once on each "
            "of {} connections",
            streams_per_connection, std::max(1, opt.connections));
      return classify_response(static_cast<int>(status), t.answer);
    }
    // libcurl's error text names no URL, so the token cannot leak through it.
    auto r = network_failure(t.log_name + ": " +
                             (t.too_long ? "answer longer than 4 MiB" : curl_easy_strerror(rc)));
    curl_off_t uploaded = 0;
    curl_easy_getinfo(t.easy, CURLINFO_SIZE_UPLOAD_T, &uploaded);
    // The request went out whole and no answer came: Telegram may have acted on it.
    r.maybe_delivered = static_cast<std::size_t>(uploaded) >= t.body.size();
    return r;
  }

  void finish(std::unique_ptr<transfer> t, api_response r) {
    auto done = std::move(t->done);
    t.reset();
    --calls;
    done(std::move(r));
  }

  // Answers a call with a failure of the loop's own (stopping, no easy handle to make it with).
  void fail(std::unique_ptr<transfer> t, const char* why) {
    auto r = network_failure(t->log_name + ": " + why);
    finish(std::move(t), std::move(r));
  }

  // Waits for a ready socket, libcurl's timeout or a wake-up, and lets libcurl act on what came.
  void wait_and_drive() {
    constexpr int max_wait_ms = 1000;
    int wait_ms = max_wait_ms;
    if (curl_due) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      *curl_due - std::chrono::steady_clock::now())
                      .count();
      wait_ms = static_cast<int>(std::clamp<long long>(left, 0, max_wait_ms));
    }
    epoll_event events[64];
    int n = ::epoll_wait(epoll_fd, events, 64, wait_ms);
    int running = 0;
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == wake_fd) {
        std::uint64_t count = 0;
        [[maybe_unused]] auto r = ::read(wake_fd, &count, sizeof count);
        continue;
      }
      const auto ev = events[i].events;
      int mask = ((ev & EPOLLIN) ? CURL_CSELECT_IN : 0) | ((ev & EPOLLOUT) ? CURL_CSELECT_OUT : 0) |
                 ((ev & (EPOLLERR | EPOLLHUP)) ? CURL_CSELECT_ERR : 0);
      curl_multi_socket_action(multi, fd, mask, &running);
    }
    if (curl_due && std::chrono::steady_clock::now() >= *curl_due) {
      curl_due.reset();
      curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
    }
  }

  void run() {
    std::vector<std::unique_ptr<transfer>> added;
    for (;;) {
      bool stop_now = false;
      {
        std::lock_guard<std::mutex> guard(mutex);
        stop_now = stopping;
        for (auto& t : incoming) added.push_back(std::move(t));
        incoming.clear();
      }
      for (auto& t : added) {
        if (stop_now) {
          fail(std::move(t), "stopped");
          continue;
        }
        auto* easy = attach(*t);
        if (!easy) {
          fail(std::move(t), "out of memory");
          continue;
        }
        active.emplace(easy, std::move(t));
        curl_multi_add_handle(multi, easy);
      }
      added.clear();
      if (stop_now) break;
      wait_and_drive();
      int left = 0;
      while (CURLMsg* m = curl_multi_info_read(multi, &left)) {
        if (m->msg != CURLMSG_DONE) continue;
        auto rc = m->data.result;
        auto it = active.find(m->easy_handle);
        if (it == active.end()) continue;
        if (retry_on_new_connection(*it->second, rc)) continue;
        auto t = std::move(it->second);
        active.erase(it);
        auto r = answer_of(*t, rc);
        detach(*t);
        finish(std::move(t), std::move(r));
      }
    }
    // Stopping: every call still in the multi handle is answered as stopped.
    for (auto& [easy, t] : active) {
      detach(*t);
      fail(std::move(t), "stopped");
    }
    active.clear();
  }
};

bot_api_loop::bot_api_loop(options o) : impl_(std::make_unique<impl>(std::move(o))) {}

bot_api_loop::~bot_api_loop() = default;

void bot_api_loop::submit(bot_api_request request, on_answer done) {
  auto t = impl_->prepare(request, std::move(done));
  ++impl_->calls;
  bool wake = false;
  {
    std::lock_guard<std::mutex> guard(impl_->mutex);
    if (!impl_->stopping) {
      // One wake-up per batch: calls submitted before the loop takes the batch ride on the first
      // one's (a wake-up is a write to a pipe and a thread switch).
      wake = impl_->incoming.empty();
      impl_->incoming.push_back(std::move(t));
      t = nullptr;
    }
  }
  if (t) return impl_->fail(std::move(t), "stopped");
  if (wake) impl_->wake();
}

api_response bot_api_loop::call(bot_api_request request) {
  std::promise<api_response> answer;
  auto future = answer.get_future();
  submit(std::move(request), [&answer](api_response r) { answer.set_value(std::move(r)); });
  return future.get();
}

std::size_t bot_api_loop::capacity() const {
  auto connections = static_cast<std::size_t>(std::max(1, impl_->opt.connections));
  return impl_->multiplexed ? connections * streams_per_connection : connections;
}

std::size_t bot_api_loop::in_flight() const {
  return impl_->calls;
}

void bot_api_loop::stop() {
  impl_->stop();
}

}  // namespace nocturna::bot

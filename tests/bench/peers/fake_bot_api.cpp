// The one fake Bot API of `make bench-peers` (docs/benchmarks.md): every bot under test, ours and
// its peers, polls this server for the same pre-generated queue of N `/start` updates over C chats
// and answers each with one sendMessage, optionally answered after a fixed delay (a real round
// trip).
//
// A single-threaded epoll loop over HTTP/1.1 keep-alive, so that the server costs far less CPU per
// update than the bots it measures; its own CPU is reported so that the runner can say when it is
// the bottleneck. Protocol with the runner (tests/bench/peers/run_peers.py), one line each:
//   stdout "port P"           listening on 127.0.0.1:P
//   stdout "polling"          the first getUpdates arrived (held until "go" or its timeout)
//   stdin  "go"               start handing out updates; the clock and the CPU count start here
//   stdout "done ..."         the N-th sendMessage was answered: elapsed and CPU since "go"
//   stdin  "stats"            stdout "stats ...": answers and requests so far (duplicates show)
//   stdin EOF or "quit"       exit
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

struct options {
  long updates = 20000;
  long chats = 1000;
  int delay_ms = 0;
  int port = 0;
};

struct connection {
  int fd = -1;
  std::uint64_t serial = 0;
  std::string in;
  std::size_t in_pos = 0;  // start of the first unparsed request in `in`
  std::string out;
  bool waiting = false;  // a held response (long poll or delayed answer) blocks later requests
  bool close_after = false;
  bool sent_continue = false;
  bool want_out = false;  // EPOLLOUT is in the epoll interest set
};

// A response written later: a delayed sendMessage or a held getUpdates.
struct held {
  clock_type::time_point due;
  int fd;
  std::uint64_t serial;
  long long chat_id;  // sendMessage
  long long offset;   // getUpdates
  long limit;         // getUpdates
};

double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

bool iequals_prefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  return true;
}

bool parse_integer(std::string_view text, std::size_t pos, long long& out) {
  if (pos < text.size() && text[pos] == '"') ++pos;
  bool negative = pos < text.size() && text[pos] == '-';
  if (negative) ++pos;
  if (pos >= text.size() || !std::isdigit(static_cast<unsigned char>(text[pos]))) return false;
  long long v = 0;
  while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])))
    v = v * 10 + (text[pos++] - '0');
  out = negative ? -v : v;
  return true;
}

// An integer parameter from a JSON body ("key": 5 or "key": "5", as telebot sends) or from a
// query string / form body (key=5).
bool find_integer(std::string_view text, std::string_view key, long long& out) {
  std::string quoted = "\"" + std::string(key) + "\"";
  if (auto at = text.find(quoted); at != std::string_view::npos) {
    auto pos = at + quoted.size();
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == ':')) ++pos;
    return parse_integer(text, pos, out);
  }
  std::string assign = std::string(key) + "=";
  for (auto at = text.find(assign); at != std::string_view::npos; at = text.find(assign, at + 1))
    if (at == 0 || text[at - 1] == '&' || text[at - 1] == '?')
      return parse_integer(text, at + assign.size(), out);
  return false;
}

class fake_bot_api {
 public:
  explicit fake_bot_api(options opt) : opt_(opt) {
    auto now = static_cast<long long>(std::time(nullptr));
    updates_.reserve(opt_.updates);
    for (long i = 1; i <= opt_.updates; ++i) {
      long long chat = 1000001 + (i - 1) % opt_.chats;
      char buf[512];
      std::snprintf(buf, sizeof buf,
                    "{\"update_id\":%ld,\"message\":{\"message_id\":%ld,\"from\":{\"id\":%lld,"
                    "\"is_bot\":false,\"first_name\":\"Bench\",\"language_code\":\"ru\"},"
                    "\"chat\":{\"id\":%lld,\"first_name\":\"Bench\",\"type\":\"private\"},"
                    "\"date\":%lld,\"text\":\"/start\",\"entities\":[{\"offset\":0,\"length\":6,"
                    "\"type\":\"bot_command\"}]}}",
                    i, i, chat, chat, now);
      updates_.emplace_back(buf);
    }
  }

  int run() {
    signal(SIGPIPE, SIG_IGN);
    listener_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(opt_.port));
    if (bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        listen(listener_, 4096) != 0) {
      std::perror("fake_bot_api: bind/listen");
      return 1;
    }
    socklen_t len = sizeof addr;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    watch(listener_, EPOLLIN);
    watch(STDIN_FILENO, EPOLLIN);
    say("port %d", ntohs(addr.sin_port));

    std::vector<epoll_event> events(256);
    while (!quit_) {
      int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), wait_ms());
      for (int i = 0; i < n; ++i) {
        int fd = events[i].data.fd;
        if (fd == listener_)
          accept_all();
        else if (fd == STDIN_FILENO)
          read_commands();
        else
          on_socket(fd, events[i].events);
      }
      fire_due();
    }
    return 0;
  }

 private:
  void say(const char* format, ...) __attribute__((format(printf, 2, 3))) {
    va_list args;
    va_start(args, format);
    std::vprintf(format, args);
    va_end(args);
    std::printf("\n");
    std::fflush(stdout);
  }

  void watch(int fd, std::uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = fd;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
  }

  int wait_ms() const {
    auto next = clock_type::time_point::max();
    if (!delayed_.empty()) next = delayed_.front().due;
    for (auto& p : polls_) next = std::min(next, p.due);
    if (next == clock_type::time_point::max()) return -1;
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(next - clock_type::now()).count();
    return static_cast<int>(std::max<long long>(ms, 0));
  }

  void accept_all() {
    for (;;) {
      int fd = accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      auto& c = conns_[fd];
      c = connection{};
      c.fd = fd;
      c.serial = ++serial_;
      watch(fd, EPOLLIN | EPOLLRDHUP);
    }
  }

  void read_commands() {
    char buf[256];
    auto n = read(STDIN_FILENO, buf, sizeof buf);
    if (n <= 0) {
      quit_ = true;
      return;
    }
    commands_.append(buf, static_cast<std::size_t>(n));
    for (auto nl = commands_.find('\n'); nl != std::string::npos; nl = commands_.find('\n')) {
      std::string line = commands_.substr(0, nl);
      commands_.erase(0, nl + 1);
      if (line == "go")
        go();
      else if (line == "stats")
        say("stats answers=%ld requests=%ld send_requests=%ld", answered_, requests_,
            send_requests_);
      else if (line == "quit")
        quit_ = true;
    }
  }

  void go() {
    if (started_) return;
    started_ = true;
    started_at_ = clock_type::now();
    cpu_at_start_ = cpu_seconds();
    // Held polls are answered at once now that updates exist.
    for (auto& p : polls_) p.due = started_at_;
  }

  void on_socket(int fd, std::uint32_t events) {
    auto it = conns_.find(fd);
    if (it == conns_.end()) return;
    auto& c = it->second;
    if (events & EPOLLIN) {
      char buf[65536];
      for (;;) {
        auto n = recv(fd, buf, sizeof buf, 0);
        if (n > 0) {
          c.in.append(buf, static_cast<std::size_t>(n));
          if (static_cast<std::size_t>(n) < sizeof buf) break;
          continue;
        }
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
          drop(fd);
          return;
        }
        break;
      }
      serve(c);
      if (!conns_.count(fd)) return;
    }
    if (events & EPOLLOUT) flush(c);
    if ((events & (EPOLLHUP | EPOLLERR)) && conns_.count(fd)) drop(fd);
  }

  void drop(int fd) {
    epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
    close(fd);
    conns_.erase(fd);
  }

  // Parses and answers the requests buffered on `c`, in order, until one is held.
  void serve(connection& c) {
    while (!c.waiting) {
      std::string_view in(c.in);
      in.remove_prefix(c.in_pos);
      auto head_end = in.find("\r\n\r\n");
      if (head_end == std::string_view::npos) break;
      auto head = in.substr(0, head_end);
      std::size_t body_start = head_end + 4;
      long long content_length = 0;
      bool chunked = false, expect_continue = false;
      c.close_after = head.find("HTTP/1.0") != std::string_view::npos;
      for (auto pos = head.find("\r\n"); pos != std::string_view::npos;) {
        auto next = head.find("\r\n", pos + 2);
        auto line =
            head.substr(pos + 2, next == std::string_view::npos ? head.npos : next - pos - 2);
        if (iequals_prefix(line, "content-length:"))
          parse_integer(line, line.find_first_not_of(' ', 15), content_length);
        else if (iequals_prefix(line, "transfer-encoding:"))
          chunked = line.find("chunked") != std::string_view::npos;
        else if (iequals_prefix(line, "connection:"))
          c.close_after = line.find("close") != std::string_view::npos ||
                          line.find("Close") != std::string_view::npos;
        else if (iequals_prefix(line, "expect:"))
          expect_continue = true;
        pos = next;
      }
      std::string body;
      std::size_t consumed = 0;
      if (chunked) {
        if (!dechunk(in.substr(body_start), body, consumed)) {
          if (expect_continue) send_continue(c);
          break;
        }
        consumed += body_start;
      } else {
        if (in.size() < body_start + static_cast<std::size_t>(content_length)) {
          if (expect_continue) send_continue(c);
          break;
        }
        body.assign(in.substr(body_start, static_cast<std::size_t>(content_length)));
        consumed = body_start + static_cast<std::size_t>(content_length);
      }
      auto request_line = head.substr(0, head.find("\r\n"));
      auto path_start = request_line.find(' ') + 1;
      auto path = request_line.substr(path_start, request_line.find(' ', path_start) - path_start);
      c.in_pos += consumed;
      c.sent_continue = false;
      handle(c, path, body);
    }
    if (c.in_pos == c.in.size()) {
      c.in.clear();
      c.in_pos = 0;
    } else if (c.in_pos > 65536) {
      c.in.erase(0, c.in_pos);
      c.in_pos = 0;
    }
    flush(c);
  }

  void send_continue(connection& c) {
    if (c.sent_continue) return;
    c.sent_continue = true;
    c.out += "HTTP/1.1 100 Continue\r\n\r\n";
  }

  static bool dechunk(std::string_view in, std::string& body, std::size_t& consumed) {
    std::size_t pos = 0;
    for (;;) {
      auto eol = in.find("\r\n", pos);
      if (eol == std::string_view::npos) return false;
      std::size_t size = std::strtoul(std::string(in.substr(pos, eol - pos)).c_str(), nullptr, 16);
      pos = eol + 2;
      if (size == 0) {
        if (in.size() < pos + 2) return false;
        consumed = pos + 2;
        return true;
      }
      if (in.size() < pos + size + 2) return false;
      body.append(in.substr(pos, size));
      pos += size + 2;
    }
  }

  void handle(connection& c, std::string_view path, const std::string& body) {
    ++requests_;
    auto query_at = path.find('?');
    std::string_view query = query_at == path.npos ? std::string_view{} : path.substr(query_at);
    path = path.substr(0, query_at);
    std::string method(path.substr(path.rfind('/') + 1));
    for (auto& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto param = [&](std::string_view key, long long fallback) {
      long long v = fallback;
      if (!find_integer(body, key, v)) find_integer(query, key, v);
      return v;
    };
    if (method == "sendmessage") {
      ++send_requests_;
      long long chat = param("chat_id", 0);
      if (opt_.delay_ms > 0) {
        c.waiting = true;
        delayed_.push_back({clock_type::now() + std::chrono::milliseconds(opt_.delay_ms), c.fd,
                            c.serial, chat, 0, 0});
      } else {
        answer_message(c, chat);
      }
    } else if (method == "getupdates") {
      if (!polled_) {
        polled_ = true;
        say("polling");
      }
      long long offset = param("offset", 0);
      long limit = static_cast<long>(std::clamp<long long>(param("limit", 100), 1, 100));
      if (limit <= 0) limit = 100;
      long long timeout = param("timeout", 0);
      if (timeout > 0 && !has_updates(offset)) {
        c.waiting = true;
        polls_.push_back(
            {clock_type::now() + std::chrono::seconds(timeout), c.fd, c.serial, 0, offset, limit});
      } else {
        answer_updates(c, offset, limit);
      }
    } else if (method == "getme") {
      respond(c,
              "{\"ok\":true,\"result\":{\"id\":7000000001,\"is_bot\":true,\"first_name\":"
              "\"Bench\",\"username\":\"bench_bot\",\"can_join_groups\":true,"
              "\"can_read_all_group_messages\":false,\"supports_inline_queries\":true}}");
    } else if (method == "getwebhookinfo") {
      respond(c,
              "{\"ok\":true,\"result\":{\"url\":\"\",\"has_custom_certificate\":false,"
              "\"pending_update_count\":0}}");
    } else {
      respond(c, "{\"ok\":true,\"result\":true}");
    }
  }

  bool has_updates(long long offset) const {
    return started_ && offset <= static_cast<long long>(updates_.size());
  }

  void answer_updates(connection& c, long long offset, long limit) {
    std::string body = "{\"ok\":true,\"result\":[";
    if (started_) {
      long long first = std::max<long long>(offset, 1);
      long long last = std::min<long long>(first + limit - 1, updates_.size());
      for (long long id = first; id <= last; ++id) {
        if (id != first) body += ',';
        body += updates_[static_cast<std::size_t>(id - 1)];
      }
    }
    body += "]}";
    respond(c, body);
  }

  void answer_message(connection& c, long long chat) {
    char buf[384];
    std::snprintf(buf, sizeof buf,
                  "{\"ok\":true,\"result\":{\"message_id\":%ld,\"from\":{\"id\":7000000001,"
                  "\"is_bot\":true,\"first_name\":\"Bench\",\"username\":\"bench_bot\"},"
                  "\"chat\":{\"id\":%lld,\"first_name\":\"Bench\",\"type\":\"private\"},"
                  "\"date\":%lld,\"text\":\"ok\"}}",
                  answered_ + 1, chat, static_cast<long long>(std::time(nullptr)));
    respond(c, buf);
    if (++answered_ == opt_.updates && started_) {
      double elapsed = std::chrono::duration<double>(clock_type::now() - started_at_).count();
      say("done answers=%ld elapsed_s=%.6f server_cpu_s=%.6f", answered_, elapsed,
          cpu_seconds() - cpu_at_start_);
    }
  }

  void respond(connection& c, std::string_view body) {
    char head[160];
    int n = std::snprintf(head, sizeof head,
                          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                          "Content-Length: %zu\r\n%s\r\n",
                          body.size(), c.close_after ? "Connection: close\r\n" : "");
    c.out.append(head, static_cast<std::size_t>(n));
    c.out.append(body);
    c.waiting = false;
  }

  void flush(connection& c) {
    int fd = c.fd;
    while (!c.out.empty()) {
      auto n = send(fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) break;
        drop(fd);
        return;
      }
      c.out.erase(0, static_cast<std::size_t>(n));
    }
    // Asks for EPOLLOUT only while a response is partly written: one syscall less per request.
    if (c.want_out != !c.out.empty()) {
      c.want_out = !c.out.empty();
      epoll_event ev{};
      ev.events = EPOLLIN | EPOLLRDHUP | (c.want_out ? static_cast<std::uint32_t>(EPOLLOUT) : 0u);
      ev.data.fd = fd;
      epoll_ctl(epoll_, EPOLL_CTL_MOD, fd, &ev);
    }
    if (c.out.empty() && c.close_after && !c.waiting) drop(fd);
  }

  connection* live(int fd, std::uint64_t serial) {
    auto it = conns_.find(fd);
    return it == conns_.end() || it->second.serial != serial ? nullptr : &it->second;
  }

  // Answers the delayed messages and the polls whose time has come, then the requests that
  // queued behind them on the same connection.
  void fire_due() {
    auto now = clock_type::now();
    while (!delayed_.empty() && delayed_.front().due <= now) {
      auto h = delayed_.front();
      delayed_.pop_front();
      if (auto* c = live(h.fd, h.serial)) {
        answer_message(*c, h.chat_id);
        serve(*c);
      }
    }
    for (std::size_t i = 0; i < polls_.size();) {
      if (polls_[i].due > now) {
        ++i;
        continue;
      }
      auto h = polls_[i];
      polls_.erase(polls_.begin() + static_cast<long>(i));
      if (auto* c = live(h.fd, h.serial)) {
        answer_updates(*c, h.offset, h.limit);
        serve(*c);
      }
    }
  }

  options opt_;
  std::vector<std::string> updates_;
  int listener_ = -1;
  int epoll_ = -1;
  bool quit_ = false;
  bool polled_ = false;
  bool started_ = false;
  clock_type::time_point started_at_{};
  double cpu_at_start_ = 0;
  std::uint64_t serial_ = 0;
  std::unordered_map<int, connection> conns_;
  std::deque<held> delayed_;  // one fixed delay: due times arrive in order
  std::vector<held> polls_;   // a few long polls at most
  std::string commands_;
  long answered_ = 0;
  long requests_ = 0;
  long send_requests_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  options opt;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string_view flag = argv[i];
    long value = std::strtol(argv[i + 1], nullptr, 10);
    if (flag == "--updates")
      opt.updates = value;
    else if (flag == "--chats")
      opt.chats = value;
    else if (flag == "--delay-ms")
      opt.delay_ms = static_cast<int>(value);
    else if (flag == "--port")
      opt.port = static_cast<int>(value);
    else {
      std::fprintf(stderr, "usage: %s [--updates N] [--chats C] [--delay-ms D] [--port P]\n",
                   argv[0]);
      return 2;
    }
  }
  if (opt.updates < 1 || opt.chats < 1 || opt.delay_ms < 0) {
    std::fprintf(stderr, "fake_bot_api: --updates and --chats must be >= 1, --delay-ms >= 0\n");
    return 2;
  }
  return fake_bot_api(opt).run();
}

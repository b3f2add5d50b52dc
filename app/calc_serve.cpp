#include "app/calc_serve.hpp"

#include <cstdio>
#include <optional>

#include "app/stop_signals.hpp"
#include "clients/nocturna/calc_server.hpp"

namespace nocturna {
namespace {

constexpr const char* usage_text = "usage: nocturna-bot calc serve [--port N]\n";

std::optional<int> parse_port(const std::string& s) {
  try {
    std::size_t used = 0;
    const int v = std::stoi(s, &used);
    if (used != s.size() || v < 0 || v > 65535) return std::nullopt;
    return v;
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace

int calc_serve_main(const std::vector<std::string>& args, const config& cfg) {
  remote::calc_server_options opts;
  // args[0] is "serve".
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--port" && i + 1 < args.size()) {
      auto port = parse_port(args[++i]);
      if (!port) {
        std::fprintf(stderr, "calc serve: --port takes 0..65535\n%s", usage_text);
        return 2;
      }
      opts.port = *port;
    } else {
      std::fprintf(stderr, "calc serve: unknown argument: %s\n%s", args[i].c_str(), usage_text);
      return 2;
    }
  }

  // Before the server's threads start: they inherit the mask.
  block_stop_signals();

  remote::calc_server server(opts);
  try {
    server.start();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  std::printf("calc serve listening on %s\n", server.base_url().c_str());
  std::fflush(stdout);

  wait_for_stop_signal();
  server.stop();
  return 0;
}

}  // namespace nocturna

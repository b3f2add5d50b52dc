#include "actors/runtime.hpp"

#include <chrono>
#include <ctime>
#include <random>

#include "clients/telegram/telegram_client.hpp"

namespace nocturna {

void process_control::request_exit(int code) {
  int expected = -1;
  exit_code_.compare_exchange_strong(expected, code);
  std::lock_guard<std::mutex> guard(mutex_);
  cv_.notify_all();
}

bool process_control::wait_for_exit(int ms) {
  std::unique_lock<std::mutex> lock(mutex_);
  return cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return exit_requested(); });
}

void call_aborter::attach(bot::telegram_client* client) {
  std::lock_guard<std::mutex> guard(mutex_);
  clients_.insert(client);
}

void call_aborter::detach(bot::telegram_client* client) {
  std::lock_guard<std::mutex> guard(mutex_);
  clients_.erase(client);
}

void call_aborter::abort_all() {
  std::lock_guard<std::mutex> guard(mutex_);
  for (auto* c : clients_) c->stop();
}

std::string make_instance_id() {
  static constexpr char hex[] = "0123456789abcdef";
  std::mt19937_64 rng{std::random_device{}()};
  auto bits = rng();
  std::string id = "bot-";
  for (int i = 0; i < 12; ++i, bits >>= 4) id += hex[bits & 15];
  return id;
}

std::int64_t now_utc() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

std::int64_t steady_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace nocturna

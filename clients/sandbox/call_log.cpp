#include "clients/sandbox/call_log.hpp"

#include <algorithm>

#include "clients/sandbox/text_util.hpp"
#include "protocol/json_writer.hpp"

namespace nocturna::sandbox {
namespace {

constexpr std::size_t max_calls = 200000;

}  // namespace

std::string call_json(const call_entry& c) {
  json::object o;
  o.add("seq", c.seq).add("method", c.method);
  o.add_raw("chat_id", c.chat_id ? std::to_string(*c.chat_id) : "null");
  o.add_raw("params", c.params_json.empty() ? "{}" : c.params_json);
  o.add("start_ms", c.start_ms);
  o.add_raw("end_ms", c.end_ms < 0 ? "null" : std::to_string(c.end_ms));
  o.add_raw("status", c.status == 0 ? "null" : std::to_string(c.status));
  if (!c.description.empty()) o.add("description", c.description);
  return o.str();
}

call_log::call_log() : started_(std::chrono::steady_clock::now()) {}

std::int64_t call_log::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               started_)
      .count();
}

std::int64_t call_log::begin(std::string method, std::optional<std::int64_t> chat_id,
                             std::string params_json, bool track, bool track_chat) {
  std::lock_guard<std::mutex> lock(mu_);
  call_entry c;
  c.seq = next_seq_++;
  c.method = std::move(method);
  c.chat_id = chat_id;
  c.params_json = std::move(params_json);
  c.start_ms = now_ms();
  if (track) {
    active_[c.seq] = track_chat ? chat_id : std::nullopt;
    stats_.max_in_flight = std::max(stats_.max_in_flight, ++in_flight_);
    if (chat_id && track_chat) {
      auto n = ++in_flight_per_chat_[*chat_id];
      stats_.max_in_flight_per_chat = std::max(stats_.max_in_flight_per_chat, n);
    }
  }
  calls_.push_back(std::move(c));
  if (calls_.size() > max_calls) calls_.pop_front();
  return next_seq_ - 1;
}

call_entry* call_log::find(std::int64_t seq) {
  auto it = std::lower_bound(calls_.begin(), calls_.end(), seq,
                             [](const call_entry& c, std::int64_t s) { return c.seq < s; });
  return it != calls_.end() && it->seq == seq ? &*it : nullptr;
}

void call_log::leave_flight(std::int64_t seq) {
  auto it = active_.find(seq);
  if (it == active_.end()) return;
  --in_flight_;
  if (auto chat = it->second) {
    auto per_chat = in_flight_per_chat_.find(*chat);
    if (per_chat != in_flight_per_chat_.end() && --per_chat->second <= 0) {
      in_flight_per_chat_.erase(per_chat);
    }
  }
  active_.erase(it);
}

void call_log::end(std::int64_t seq, int status, std::string description) {
  std::lock_guard<std::mutex> lock(mu_);
  leave_flight(seq);
  call_entry* c = find(seq);
  if (!c || c->end_ms >= 0) return;
  c->end_ms = now_ms();
  c->status = status;
  c->description = std::move(description);
}

std::string call_log::calls_json(std::int64_t since, const std::string& method,
                                 std::optional<std::int64_t> chat_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string wanted = lower(method);
  std::string list = "[";
  for (const auto& c : calls_) {
    if (c.seq < since) continue;
    if (!wanted.empty() && lower(c.method) != wanted) continue;
    if (chat_id && c.chat_id != chat_id) continue;
    if (list.size() > 1) list += ',';
    list += call_json(c);
  }
  list += "]";
  return json::object().add_raw("calls", list).add("next", next_seq_).str();
}

call_stats call_log::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  call_stats s = stats_;
  s.calls = static_cast<std::int64_t>(calls_.size());
  return s;
}

void call_log::reset() {
  std::lock_guard<std::mutex> lock(mu_);
  // Calls still in flight keep their slots in the statistics until they end; only history goes.
  calls_.erase(std::remove_if(calls_.begin(), calls_.end(),
                              [](const call_entry& c) { return c.end_ms >= 0; }),
               calls_.end());
  stats_ = call_stats{};
  stats_.max_in_flight = in_flight_;
  for (const auto& [chat, n] : in_flight_per_chat_) {
    stats_.max_in_flight_per_chat = std::max(stats_.max_in_flight_per_chat, n);
  }
}

}  // namespace nocturna::sandbox

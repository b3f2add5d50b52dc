#include "clients/sandbox/chat_state.hpp"

namespace nocturna::sandbox {

std::string default_chat_type(std::int64_t chat_id) {
  if (chat_id > 0) return "private";
  return chat_id <= -1000000000000 ? "supergroup" : "group";
}

chat_record* find_chat(chat_world& w, std::int64_t chat_id) {
  auto it = w.chats.find(chat_id);
  return it == w.chats.end() ? nullptr : &it->second;
}

const chat_record* find_chat(const chat_world& w, std::int64_t chat_id) {
  auto it = w.chats.find(chat_id);
  return it == w.chats.end() ? nullptr : &it->second;
}

chat_record& ensure_chat(chat_world& w, const chat_info& info) {
  chat_record& c = w.chats[info.id];
  if (c.info.id == 0) {
    c.info = info;
    return c;
  }
  if (!info.type.empty()) c.info.type = info.type;
  if (!info.title.empty()) c.info.title = info.title;
  if (info.user.id != 0) c.info.user = info.user;
  return c;
}

stored_message* find_message(chat_record& c, std::int64_t message_id) {
  auto it = c.messages.find(message_id);
  return it == c.messages.end() ? nullptr : &it->second;
}

stored_message& append_message(chat_record& c, stored_message m) {
  m.message_id = c.next_message_id++;
  ++c.version;
  auto id = m.message_id;
  return c.messages.emplace(id, std::move(m)).first->second;
}

std::size_t bot_message_count(const chat_record& c) {
  std::size_t n = 0;
  for (const auto& [id, m] : c.messages) n += m.from_bot ? 1 : 0;
  return n;
}

bool chat_store::wait_for(const std::function<bool(const chat_world&)>& pred,
                          std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred(world_)) {
    if (stopping_ || cv_.wait_until(lock, deadline) == std::cv_status::timeout) {
      return pred(world_);
    }
  }
  return true;
}

void chat_store::reset() {
  modify([](chat_world& w) {
    w.chats.clear();
    w.open_queries.clear();
  });
}

void chat_store::stop() {
  modify([this](chat_world&) { stopping_ = true; });
}

}  // namespace nocturna::sandbox

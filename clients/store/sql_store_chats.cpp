#include "clients/store/chat_moves.hpp"
#include "clients/store/sql_store.hpp"

namespace nocturna::store {

std::size_t sql_store::move_chat(std::int64_t from_chat, std::int64_t to_chat) {
  if (from_chat == to_chat) return 0;
  sql::transaction tx(*conn_);
  auto moved =
      q("UPDATE inbox SET chat_id = ? WHERE chat_id = ? RETURNING update_id", {to_chat, from_chat});
  tx.commit();
  return moved.size();
}

std::size_t move_chat(store& db, std::int64_t from_chat, std::int64_t to_chat) {
  auto* sql = dynamic_cast<sql_store*>(&db);
  if (!sql) throw store_error("move_chat: not an SQL store");
  return sql->move_chat(from_chat, to_chat);
}

}  // namespace nocturna::store

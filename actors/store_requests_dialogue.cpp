// The store operations of the /natal dialogue and of what it saves: the user's birth data or a
// /compat partner (actors/store_requests.hpp).
#include "actors/store_requests.hpp"

namespace nocturna::actors::store_requests {

msg::dialogue_data load_dialogue(store::store& db, std::int64_t user) {
  return {db.load_dialogue(user), db.load_birth(user).has_value()};
}

void save_dialogue(store::store& db, std::int64_t user, store::dialogue_record dialogue) {
  db.save_dialogue(user, dialogue);
}

void delete_dialogue(store::store& db, std::int64_t user) {
  db.delete_dialogue(user);
}

bool clear_expired(store::store& db, std::int64_t user, std::int64_t now) {
  auto record = db.load_dialogue(user);
  if (!record) return false;
  if (record->expires_at > now) return true;
  db.delete_dialogue(user);
  return false;
}

msg::birth_saved save_birth(store::store& db, std::int64_t user, store::birth_record birth) {
  msg::birth_saved saved;
  saved.version = db.save_birth(user, birth);
  saved.system = db.house_system(user);
  db.delete_dialogue(user);
  return saved;
}

msg::partner_saved save_partner(store::store& db, std::int64_t user, store::partner_record partner,
                                std::int64_t update_id) {
  msg::partner_saved saved;
  saved.id = db.add_partner(user, partner, update_id);
  if (saved.id || db.partners(user).size() >= store::store::max_partners) db.delete_dialogue(user);
  return saved;
}

}  // namespace nocturna::actors::store_requests

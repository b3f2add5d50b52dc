// The store operations of /compat: partners and invitation links (actors/store_requests.hpp).
#include "actors/store_requests.hpp"

namespace nocturna::actors::store_requests {

msg::partner_list load_partners(store::store& db, std::int64_t user) {
  return {db.load_birth(user).has_value(), db.partners(user)};
}

msg::pair_data load_pair(store::store& db, std::int64_t user, std::int64_t partner_id) {
  return {db.load_birth(user), db.house_system(user), db.load_partner(user, partner_id)};
}

bool delete_partner(store::store& db, std::int64_t user, std::int64_t partner_id) {
  return db.delete_partner(user, partner_id);
}

void save_invite(store::store& db, store::invite_record invite) {
  db.save_invite(invite);
}

msg::invite_view open_invite(store::store& db, std::string code, std::int64_t user,
                             std::int64_t now) {
  msg::invite_view v;
  v.invite = db.load_invite(code);
  v.mine = db.load_birth(user);
  // Without birth data the link stays open for later (it is reserved only when asked).
  if (v.invite && v.mine) v.reserved = db.reserve_invite(code, user, now);
  return v;
}

msg::invite_view answer_invite(store::store& db, std::string code, std::int64_t user,
                               std::string answer, std::int64_t update_id) {
  msg::invite_view v;
  v.invite = db.load_invite(code);
  v.mine = db.load_birth(user);
  if (!v.invite || !v.mine) return v;
  v.answered = db.answer_invite(code, user, answer, update_id);
  if (!v.answered) return v;
  v.my_system = db.house_system(user);
  v.theirs = db.load_birth(v.invite->inviter);
  v.their_system = db.house_system(v.invite->inviter);
  return v;
}

}  // namespace nocturna::actors::store_requests

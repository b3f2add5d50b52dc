// The store operations on a user's own data: /profile, /settings, /clear_profile, /subscribe,
// /unsubscribe and the membership updates (actors/store_requests.hpp).
#include "actors/store_requests.hpp"

namespace nocturna::actors::store_requests {

msg::profile_data load_profile(store::store& db, std::int64_t user) {
  msg::profile_data data;
  data.birth = db.load_birth(user);
  data.system = db.house_system(user);
  data.subscription = db.load_subscription(user);
  data.partners = db.partners(user).size();
  return data;
}

msg::birth_settings load_birth(store::store& db, std::int64_t user) {
  return {db.load_birth(user), db.house_system(user)};
}

char load_houses(store::store& db, std::int64_t user) {
  return db.house_system(user);
}

msg::house_change set_houses(store::store& db, std::int64_t user, char letter) {
  msg::house_change change;
  change.before = db.house_system(user);
  auto birth = db.load_birth(user);
  change.time_unknown = birth && !birth->time;
  if (change.before != letter) change.changed = db.set_house_system(user, letter);
  return change;
}

bool ask_clear(store::store& db, std::int64_t user, store::clear_request question) {
  if (!db.has_personal_data(user)) return false;
  db.save_clear_request(user, question);
  return true;
}

bool clear_pending(store::store& db, std::int64_t user, std::string nonce, std::int64_t now) {
  auto request = db.load_clear_request(user);
  return request && request->nonce == nonce && request->expires_at > now;
}

void drop_clear(store::store& db, std::int64_t user) {
  db.delete_clear_request(user);
}

void clear_user(store::store& db, std::int64_t user) {
  db.clear_user(user);
}

msg::subscription_change subscribe(store::store& db, std::int64_t user, std::string wanted) {
  msg::subscription_change result;
  auto birth = db.load_birth(user);
  if (!birth) return result;
  result.has_birth = true;
  auto existing = db.load_subscription(user);
  result.was_active = existing && existing->active;
  store::subscription_record sub;
  if (result.was_active) sub = *existing;
  sub.time = !wanted.empty() ? wanted : (result.was_active ? existing->time : "09:00");
  sub.zone = birth->zone;
  sub.active = true;
  sub.disabled_reason.reset();
  sub.next_due_utc.reset();  // the scheduler computes it for the new time
  db.save_subscription(user, sub);
  result.time = sub.time;
  result.zone = sub.zone;
  return result;
}

bool disable_sub(store::store& db, std::int64_t user, std::string reason) {
  return db.disable_subscription(user, reason);
}

bool set_active(store::store& db, std::int64_t user, bool active) {
  return db.set_user_active(user, active);
}

}  // namespace nocturna::actors::store_requests

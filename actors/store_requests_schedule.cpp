// The store operations of the forecast scheduler (actors/forecast_scheduler.cpp;
// actors/store_requests.hpp).
#include "actors/store_requests.hpp"

namespace nocturna::actors::store_requests {
namespace {

// A write that follows a read of the check is made only if the subscription is still the one read:
// a /subscribe, /unsubscribe or new birth data in between wins.
bool unchanged(const std::optional<store::subscription_record>& now,
               const store::subscription_record& seen) {
  return now && now->active && now->time == seen.time && now->zone == seen.zone &&
         now->next_due_utc == seen.next_due_utc;
}

}  // namespace

std::vector<store::due_subscription> due_subs(store::store& db, std::int64_t now) {
  return db.due_subscriptions(now);
}

void next_due(store::store& db, std::int64_t user, store::subscription_record seen,
              std::int64_t next) {
  if (unchanged(db.load_subscription(user), seen)) db.set_next_due(user, next);
}

msg::forecast_claim claim_forecast(store::store& db, std::int64_t user,
                                   store::subscription_record seen, std::string local_date,
                                   std::int64_t next) {
  using result = msg::forecast_claim::result;
  if (!unchanged(db.load_subscription(user), seen)) return {result::changed};
  auto claimed = db.claim_forecast(user, local_date);
  db.set_next_due(user, next);
  return {claimed ? result::claimed : result::already};
}

}  // namespace nocturna::actors::store_requests

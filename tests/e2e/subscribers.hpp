// Subscribers written straight into the bot's store (with the bot stopped): birth data in Moscow
// and a daily-forecast subscription due at `next_due_utc`, without a /natal dialogue each.
#pragma once

#include <cstdint>

#include "clients/store/store.hpp"

namespace nocturna::testing {

inline void add_subscriber(store::store& db, std::int64_t user, std::int64_t next_due_utc) {
  store::birth_record b;
  b.date = "1990-03-15";
  b.time = "14:30";
  b.place_label = "Москва, Россия";
  b.latitude = 55.7558;
  b.longitude = 37.6173;
  b.zone = "Europe/Moscow";
  db.save_birth(user, b);
  store::subscription_record s;
  s.time = "09:00";
  s.zone = b.zone;
  s.next_due_utc = next_due_utc;
  db.save_subscription(user, s);
}

}  // namespace nocturna::testing

// CAF glue for the store's records (clients/store/records.hpp) travelling in the store actor's
// typed requests (actors/store_requests.hpp): an `inspect` per record, which CAF 0.17 requires of
// every message element that is not whitelisted as unsafe. The messages never leave the process,
// so nothing is ever serialized; `inspect` also lets CAF print them (to_string) in its logs and
// the test DSL.
//
// Kept here, not beside the records, so clients/ stays free of CAF.
#pragma once

#include <caf/all.hpp>
#include <optional>

#include "clients/store/records.hpp"
#include "clients/store/store.hpp"

namespace nocturna::msg {

// CAF 0.17 inspects caf::optional, not std::optional: a field of that type is inspected through
// `optional_field(x.field)`, as a presence flag and then the value (the shape of CAF's own
// caf::optional inspector).
template <class T>
struct optional_ref {
  std::optional<T>& x;
};

template <class T>
optional_ref<T> optional_field(std::optional<T>& x) {
  return {x};
}

template <class T>
struct optional_value {
  bool& present;
  T& value;
  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, optional_value& v) {
    return v.present ? f(v.value) : f();
  }
};

template <class Inspector, class T>
std::enable_if_t<Inspector::reads_state, typename Inspector::result_type> inspect(
    Inspector& f, optional_ref<T>& r) {
  return r.x ? f(true, *r.x) : f(false);
}

template <class Inspector, class T>
std::enable_if_t<Inspector::writes_state, typename Inspector::result_type> inspect(
    Inspector& f, optional_ref<T>& r) {
  bool present = false;
  T loaded{};
  optional_value<T> value{present, loaded};
  auto result = f(present, value);
  if (present)
    r.x = std::move(loaded);
  else
    r.x.reset();
  return result;
}

}  // namespace nocturna::msg

namespace nocturna::store {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, birth_record& x) {
  auto time = msg::optional_field(x.time);
  auto distance = msg::optional_field(x.distance_km);
  return f(caf::meta::type_name("birth_record"), x.date, time, x.place_label, x.source, distance,
           x.latitude, x.longitude, x.zone, x.updated_at, x.version);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, natal_cache_record& x) {
  auto picture = msg::optional_field(x.picture_file_id);
  auto text = msg::optional_field(x.interpretation);
  auto source = msg::optional_field(x.interpretation_source);
  return f(caf::meta::type_name("natal_cache_record"), x.birth_version, x.house_system,
           x.chart_json, picture, text, source);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dialogue_record& x) {
  return f(caf::meta::type_name("dialogue_record"), x.step, x.nonce, x.expires_at, x.fields_json,
           x.candidates_json, x.keyboard_messages, x.updated_at);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, clear_request& x) {
  return f(caf::meta::type_name("clear_request"), x.nonce, x.expires_at);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, partner_record& x) {
  return f(caf::meta::type_name("partner_record"), x.id, x.name, x.birth);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, invite_record& x) {
  auto used_by = msg::optional_field(x.used_by);
  auto answer = msg::optional_field(x.answer);
  return f(caf::meta::type_name("invite_record"), x.code, x.inviter, x.inviter_name, x.created_at,
           x.expires_at, used_by, answer);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, subscription_record& x) {
  auto next_due = msg::optional_field(x.next_due_utc);
  auto last_sent = msg::optional_field(x.last_sent_local_date);
  auto disabled = msg::optional_field(x.disabled_reason);
  return f(caf::meta::type_name("subscription_record"), x.time, x.zone, x.active, next_due,
           last_sent, disabled);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, due_subscription& x) {
  return f(caf::meta::type_name("due_subscription"), x.user_id, x.subscription);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, inbox_row& x) {
  auto chat_id = msg::optional_field(x.chat_id);
  return f(caf::meta::type_name("inbox_row"), x.update_id, chat_id, x.json, x.state, x.attempts);
}

}  // namespace nocturna::store

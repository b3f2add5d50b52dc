#include "actors/poller.hpp"

#include <spdlog/spdlog.h>

#include <random>

#include "actors/crash_report.hpp"
#include "actors/default_handlers.hpp"
#include "actors/intake.hpp"
#include "actors/interfaces.hpp"
#include "actors/message_types.hpp"
#include "actors/sender.hpp"
#include "clients/store/store.hpp"
#include "clients/telegram/telegram_client.hpp"
#include "protocol/bot_types.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/rate_limit.hpp"

namespace nocturna::actors {

struct poller_state {
  runtime_ptr rt;
  std::unique_ptr<bot::telegram_client> client;
  std::unique_ptr<store::store> db;
  std::optional<std::int64_t> offset;
  int failures = 0;
  int conflicts = 0;
  int start_failures = 0;
  bool webhook_deleted_on_conflict = false;
  bool finished = false;
  bool paused = false;  // over INTAKE_BACKLOG_LIMIT: no getUpdates until the sessions catch up
  std::mt19937 rng{std::random_device{}()};
  static inline const char* name = "poller";

  ~poller_state() {
    if (rt && client) rt->poll->detach(client.get());
  }
};

namespace {

using self_ptr = poller_api::stateful_pointer<poller_state>;

constexpr auto empty_poll_pause = std::chrono::milliseconds(100);
constexpr auto backlog_pause = std::chrono::milliseconds(100);

double random01(self_ptr self) {
  return std::uniform_real_distribution<double>(0, 1)(self->state.rng);
}

void schedule_poll(self_ptr self, std::chrono::milliseconds delay) {
  if (delay.count() <= 0)
    self->send(self, atoms::poll::value);
  else
    self->delayed_send(self, delay, atoms::poll::value);
}

// Graceful stop: confirm the last batch so a restart re-delivers nothing (docs/telegram.md §2.7).
void finish(self_ptr self) {
  auto& st = self->state;
  if (st.finished) return;
  st.finished = true;
  if (st.offset) {
    // A fresh client: the old one was aborted mid-poll.
    bot::telegram_client confirm(st.rt->api_url, st.rt->token, st.rt->ca_file);
    auto r = confirm.call("getUpdates", get_updates_body(st.offset, 1, 0),
                          std::chrono::milliseconds(1500));
    if (r.succeeded())
      spdlog::info("[poller] offset {} confirmed", *st.offset);
    else
      spdlog::warn("[poller] final confirming getUpdates failed: {}", r.description);
  }
  st.rt->poll->finished = true;
  self->quit();
}

void start_polling(self_ptr self) {
  set_command_menu(self, "poller");
  schedule_poll(self, std::chrono::milliseconds(0));
}

void delete_webhook_then(self_ptr self, std::function<void()> next) {
  auto sender = find<sender_api>(self->system());
  auto body =
      json::object().add("drop_pending_updates", self->state.rt->options.poller.drop_pending);
  self->request(sender, sender_answer_timeout, chatless_call("deleteWebhook", body.str()))
      .then(
          [=](bot::api_response& r) {
            if (!r.succeeded()) spdlog::warn("[poller] deleteWebhook failed: {}", r.description);
            next();
          },
          [=](caf::error& e) {
            spdlog::warn("[poller] deleteWebhook failed: {}", self->system().render(e));
            next();
          });
}

void start_up(self_ptr self) {
  auto retry_later = [self](const std::string& why) {
    auto delay = backoff_delay(++self->state.start_failures, clock_ms(1000), 1.5, clock_ms(30000),
                               -0.1, 0.1, random01(self));
    spdlog::warn("[poller] getMe failed ({}), retry in {} ms", why, delay.count());
    self->delayed_send(self, delay, atoms::identity::value);
  };
  announce_identity(
      self, *self->state.rt, "poller",
      [self] {
        self->state.start_failures = 0;
        delete_webhook_then(self, [self] { start_polling(self); });
      },
      retry_later);
}

void on_failure(self_ptr self, const bot::api_response& r) {
  auto& st = self->state;
  using std::chrono::milliseconds;
  switch (r.kind) {
    case bot::outcome::unauthorized:
      spdlog::critical("[poller] getUpdates: bot token rejected (401): stopping");
      st.rt->control->request_exit(2);
      return;
    case bot::outcome::flood: {
      auto delay = milliseconds(r.retry_after.value_or(1) * 1000 + 500);
      spdlog::warn("[poller] getUpdates flood control, retry in {} ms", delay.count());
      schedule_poll(self, delay);
      return;
    }
    case bot::outcome::conflict: {
      if (r.description.find("webhook is active") != std::string::npos &&
          !st.webhook_deleted_on_conflict) {
        st.webhook_deleted_on_conflict = true;
        spdlog::error("[poller] getUpdates conflict: a webhook is active, deleting it");
        delete_webhook_then(self, [self] { schedule_poll(self, milliseconds(0)); });
        return;
      }
      auto delay = backoff_delay(++st.conflicts, clock_ms(5000), 2.0, clock_ms(60000), -0.1, 0.1,
                                 random01(self));
      st.rt->health->set_conflict(true);
      spdlog::error(
          "[poller] getUpdates conflict: another instance polls this token ({}); retry in {} ms",
          r.description, delay.count());
      schedule_poll(self, delay);
      return;
    }
    default: {
      auto delay = backoff_delay(++st.failures, clock_ms(1000), 1.5, clock_ms(30000), -0.1, 0.1,
                                 random01(self));
      spdlog::warn("[poller] getUpdates failed ({} {}): {}; retry in {} ms", r.http_status,
                   bot::outcome_name(r.kind), r.description, delay.count());
      schedule_poll(self, delay);
    }
  }
}

void on_batch(self_ptr self, const std::string& result_json, std::int64_t elapsed_ms) {
  auto& st = self->state;
  auto elements = bot::split_updates(result_json);
  if (!elements) {
    on_failure(self, bot::network_failure("getUpdates result is not an array"));
    return;
  }
  std::vector<store::inbox_row> rows;
  std::optional<std::int64_t> max_id;
  for (auto& e : *elements) {
    auto row = to_inbox_row(std::move(e), "poller");
    if (!row) continue;
    max_id = std::max(max_id.value_or(row->update_id), row->update_id);
    rows.push_back(std::move(*row));
  }
  if (max_id) {
    auto next = *max_id + 1;
    if (st.offset && *st.offset > next) next = *st.offset;
    try {
      st.rt->outbox->after_commit(*st.db,
                                  [&](store::store& db) { return db.insert_batch(rows, next); });
    } catch (const std::exception& e) {
      // Not stored = not confirmed: Telegram re-delivers the batch on the next call.
      spdlog::error("[poller] inbox insert failed: {}", e.what());
      on_failure(self, bot::network_failure("inbox insert failed"));
      return;
    }
    st.offset = next;
    dispatch_rows(self, rows);
  }
  st.failures = 0;
  st.conflicts = 0;
  st.rt->health->telegram_reached();
  st.rt->health->set_conflict(false);
  if (!elements->empty()) {
    st.rt->health->update_received();
    st.rt->metrics->add("nocturna_updates_received_total", "",
                        static_cast<double>(elements->size()));
  }
  bool hot = elements->empty() && elapsed_ms < empty_poll_pause.count();
  schedule_poll(self, hot ? empty_poll_pause : std::chrono::milliseconds(0));
}

// After a watchdog abort the connection is not trusted again.
void replace_client(self_ptr self) {
  auto& st = self->state;
  st.rt->poll->detach(st.client.get());
  st.client = std::make_unique<bot::telegram_client>(st.rt->api_url, st.rt->token, st.rt->ca_file);
  st.client->set_max_idle(st.rt->options.poller.max_idle);
  st.rt->poll->attach(st.client.get());
  spdlog::warn("[poller] actor=poller reason=watchdog new connection to the Bot API");
}

// Backpressure: once more updates are in flight than INTAKE_BACKLOG_LIMIT the poller fetches
// nothing (Telegram keeps them) until they fell to half the limit, so it does not flap; one log
// line when it pauses and one when it resumes.
bool backlog_full(self_ptr self) {
  auto& st = self->state;
  auto in_flight = st.rt->tree->updates_in_flight.load();
  auto limit = st.rt->options.poller.backlog_limit;
  const bool paused = intake_paused(in_flight, limit, st.paused);
  if (paused && !st.paused) {
    st.rt->metrics->add("nocturna_intake_paused_total");
    spdlog::warn(
        "[poller] actor=poller reason=backlog {} updates in flight (limit {}): polling "
        "paused",
        in_flight, limit);
  } else if (!paused && st.paused) {
    spdlog::info("[poller] {} updates in flight: polling resumed", in_flight);
  }
  st.paused = paused;
  return paused;
}

void poll_once(self_ptr self) {
  auto& st = self->state;
  if (st.rt->control->stopping) {
    finish(self);
    return;
  }
  if (backlog_full(self)) {
    schedule_poll(self, backlog_pause);
    return;
  }
  auto timeout_s = st.rt->options.poller.poll_timeout_s;
  auto started = steady_ms();
  auto& watch = *st.rt->poll_watch;
  watch.in_flight_since_ms = started;
  auto r = st.client->call("getUpdates", get_updates_body(st.offset, 100, timeout_s),
                           std::chrono::seconds(timeout_s + 10));
  watch.in_flight_since_ms = 0;
  if (watch.replace_client.exchange(false)) replace_client(self);
  if (st.rt->control->stopping) {
    // A batch that arrived anyway is stored, so its confirmation loses nothing.
    if (r.kind == bot::outcome::ok) on_batch(self, r.result_json, 0);
    finish(self);
    return;
  }
  if (r.kind == bot::outcome::ok)
    on_batch(self, r.result_json, steady_ms() - started);
  else
    on_failure(self, r);
}

}  // namespace

std::string get_updates_body(std::optional<std::int64_t> offset, int limit, int timeout_s) {
  json::object body;
  if (offset) body.add("offset", *offset);
  body.add("limit", limit).add("timeout", timeout_s);
  body.add_raw("allowed_updates", json::string_array(allowed_updates));
  return body.str();
}

poller_api::behavior_type poller(self_ptr self, runtime_ptr rt) {
  replace_printing_handlers(self, "poller");
  report_crashes(self, rt, "poller");
  auto& st = self->state;
  st.rt = rt;
  st.db = store::open_store(rt->options.store);
  st.offset = st.db->next_offset();
  st.client = std::make_unique<bot::telegram_client>(rt->api_url, rt->token, rt->ca_file);
  st.client->set_max_idle(rt->options.poller.max_idle);
  rt->poll->attach(st.client.get());
  self->send(self, atoms::identity::value);
  return {
      [=](atoms::identity) { start_up(self); },
      [=](atoms::poll) { poll_once(self); },
      [=](atoms::stop) { finish(self); },
      crash_handler("poller"),
  };
}

caf::actor spawn_poller(caf::event_based_actor* parent, runtime_ptr rt) {
  return caf::actor_cast<caf::actor>(parent->spawn<caf::detached + caf::monitored>(poller, rt));
}

}  // namespace nocturna::actors

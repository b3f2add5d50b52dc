#include "actors/webhook_receiver.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <mutex>
#include <random>

#include "actors/chat_leases.hpp"
#include "actors/crash_report.hpp"
#include "actors/default_handlers.hpp"
#include "actors/intake.hpp"
#include "actors/interfaces.hpp"
#include "actors/message_types.hpp"
#include "actors/sender.hpp"
#include "clients/store/store.hpp"
#include "clients/webhook/webhook_server.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/rate_limit.hpp"
#include "protocol/url.hpp"

namespace nocturna::actors {

struct webhook_state {
  runtime_ptr rt;
  std::unique_ptr<store::store> db;
  std::mutex db_mutex;  // the server's handler threads share the one connection
  std::unique_ptr<webhook::server> server;
  int bound_port = 0;
  int start_failures = 0;
  std::atomic<bool> refusing{false};  // over INTAKE_BACKLOG_LIMIT: deliveries answered 503
  static inline const char* name = "webhook";

  ~webhook_state() {
    if (server) server->stop();
  }
};

namespace {

using self_ptr = webhook_api::stateful_pointer<webhook_state>;

constexpr auto info_interval = std::chrono::seconds(60);

// Backpressure: above INTAKE_BACKLOG_LIMIT updates in flight deliveries are refused with 503, so
// Telegram keeps them and retries later, until the updates in flight fell to half the limit; one
// log line per refusal spell. Runs on httplib threads.
bool backlog_full(self_ptr self) {
  auto& st = self->state;
  auto in_flight = st.rt->tree->updates_in_flight.load();
  auto limit = st.rt->options.webhook.backlog_limit;
  if (!intake_paused(in_flight, limit, st.refusing)) {
    if (st.refusing.exchange(false))
      spdlog::info("[webhook] {} updates in flight: deliveries accepted again", in_flight);
    return false;
  }
  st.rt->metrics->add("nocturna_intake_refused_total");
  if (!st.refusing.exchange(true))
    spdlog::warn(
        "[webhook] actor=webhook reason=backlog {} updates in flight (limit {}): "
        "deliveries refused with 503",
        in_flight, limit);
  return true;
}

// Several instances share the inbox (actors/chat_leases.hpp): the stored row waits for the
// instance serving its chat. When that is this one (it held the chat or just leased it), its
// dispatcher picks the row up now; otherwise the owner's periodic pick-up finds it. The row is
// stored already, so a failed lease only leaves it to whichever instance leases the chat next.
void pick_up_if_ours(self_ptr self, std::int64_t chat_id) {
  auto& st = self->state;
  bool ours = false;
  try {
    std::lock_guard<std::mutex> guard(st.db_mutex);
    ours = lease_received_chat(*st.db, *st.rt, chat_id);
  } catch (const std::exception& e) {
    spdlog::error("[webhook] chat={} lease failed: {}", chat_id, e.what());
  }
  if (!ours) return;
  if (auto dispatcher = find<dispatcher_api>(self->system()))
    caf::anon_send(dispatcher, atoms::claim::value);
}

// Stores one delivered update; the answer's HTTP status (docs/telegram.md §4.3 items 3-4).
int accept_update(self_ptr self, std::string_view body) {
  auto& st = self->state;
  if (backlog_full(self)) return 503;
  auto elements = bot::split_updates("[" + std::string(body) + "]");
  if (!elements || elements->size() != 1 || !elements->front().update_id) {
    spdlog::warn("[webhook] body is not an Update ({} bytes): refused with 400", body.size());
    return 400;
  }
  auto row = to_inbox_row(std::move(elements->front()), "webhook");
  std::vector<store::inbox_row> rows{std::move(*row)};
  try {
    std::lock_guard<std::mutex> guard(st.db_mutex);
    // The done marks and sent entries waiting go first (actors/store_outbox.hpp says why).
    bool added = st.rt->outbox->after_commit(*st.db, [&](store::store& db) {
      if (db.find(rows[0].update_id)) return false;  // a re-delivery: already handled or queued
      auto next = std::max(db.next_offset().value_or(0), rows[0].update_id + 1);
      // Another instance sharing the database may have stored it since the check: only the one
      // whose insert added the row hands it on.
      return db.insert_batch(rows, next) > 0;
    });
    if (!added) return 200;
  } catch (const std::exception& e) {
    spdlog::error("[webhook] inbox insert failed: {}", e.what());
    return 500;  // Telegram retries
  }
  st.rt->health->update_received();
  st.rt->metrics->add("nocturna_updates_received_total");
  // Runs on an httplib thread: anon_send is thread-safe.
  hand_on_inline(self->system(), rows[0]);
  if (rows[0].state == store::inbox_state::pending && st.rt->options.instances.shared) {
    pick_up_if_ours(self, *rows[0].chat_id);
  } else if (rows[0].state == store::inbox_state::pending) {
    // No dispatcher (it restarts): the row is in the inbox, its successor claims it.
    if (auto dispatcher = find<dispatcher_api>(self->system()))
      caf::anon_send(dispatcher, msg::update{rows[0].update_id, *rows[0].chat_id,
                                             std::move(rows[0].json), false, steady_ms()});
  }
  return 200;
}

void ask_webhook_info(self_ptr self) {
  auto sender = find<sender_api>(self->system());
  if (!sender) return;
  self->request(sender, sender_answer_timeout, chatless_call("getWebhookInfo", "{}"))
      .then(
          [=](bot::api_response& r) {
            if (!r.succeeded()) {
              spdlog::warn("[webhook] getWebhookInfo failed: {}", r.description);
              return;
            }
            self->state.rt->health->telegram_reached();
            auto info = bot::parse_webhook_info(r.result_json);
            if (info) {
              self->state.rt->health->set_webhook_info(info->pending_update_count,
                                                       info->last_error_date);
              if (!info->last_error_message.empty())
                spdlog::warn("[webhook] Telegram reports: {} pending, last error: {}",
                             info->pending_update_count, info->last_error_message);
            }
          },
          [=](caf::error& e) {
            spdlog::warn("[webhook] getWebhookInfo failed: {}", self->system().render(e));
          });
}

void retry_start(self_ptr self, const std::string& why) {
  auto& st = self->state;
  std::mt19937 rng{std::random_device{}()};
  auto delay = backoff_delay(++st.start_failures, clock_ms(1000), 1.5, clock_ms(30000), -0.1, 0.1,
                             std::uniform_real_distribution<double>(0, 1)(rng));
  spdlog::warn("[webhook] start-up failed ({}), retry in {} ms", why, delay.count());
  self->delayed_send(self, delay, atoms::identity::value);
}

void set_webhook(self_ptr self) {
  auto sender = find<sender_api>(self->system());
  self->request(sender, sender_answer_timeout,
                chatless_call("setWebhook", set_webhook_body(self->state.rt->options.webhook,
                                                             self->state.bound_port)))
      .then(
          [=](bot::api_response& r) {
            if (!r.succeeded()) {
              retry_start(self, "setWebhook: " + r.description);
              return;
            }
            spdlog::info("[webhook] webhook set");
            self->state.start_failures = 0;
            ask_webhook_info(self);
            set_command_menu(self, "webhook");
            self->delayed_send(self, info_interval, webhook_info_atom::value);
          },
          [=](caf::error& e) { retry_start(self, self->system().render(e)); });
}

void start_up(self_ptr self) {
  announce_identity(
      self, *self->state.rt, "webhook", [self] { set_webhook(self); },
      [self](const std::string& why) { retry_start(self, why); });
}

}  // namespace

std::string set_webhook_body(const webhook_options& o, int bound_port) {
  auto url = o.url;
  if (auto parts = split_url(o.url)) {
    const auto host_port = parts->authority;
    if (host_port.size() > 2 && host_port.substr(host_port.size() - 2) == ":0") {
      const auto zero =
          static_cast<std::size_t>(host_port.data() - o.url.data()) + host_port.size() - 1;
      url.replace(zero, 1, std::to_string(bound_port));
    }
  }
  return json::object()
      .add("url", url + o.path)
      .add("secret_token", o.secret)
      .add_raw("allowed_updates", json::string_array(allowed_updates))
      .add("max_connections", o.max_connections)
      .add("drop_pending_updates", o.drop_pending)
      .str();
}

webhook_api::behavior_type webhook_receiver(self_ptr self, runtime_ptr rt) {
  replace_printing_handlers(self, "webhook_receiver");
  report_crashes(self, rt, "webhook");
  auto& st = self->state;
  st.rt = rt;
  st.db = store::open_store(rt->options.store);
  const auto& o = rt->options.webhook;
  // Listening before setWebhook: Telegram may deliver as soon as it is set.
  st.server = std::make_unique<webhook::server>(
      o.path, o.secret, o.max_connections,
      [self](std::string_view body) { return accept_update(self, body); });
  st.bound_port = st.server->start(o.host, o.port);
  spdlog::info("[webhook] listening on {}:{}{}", o.host, st.bound_port, o.path);
  self->send(self, atoms::identity::value);
  return {
      [=](atoms::identity) { start_up(self); },
      [=](webhook_info_atom) {
        ask_webhook_info(self);
        self->delayed_send(self, info_interval, webhook_info_atom::value);
      },
      [=](atoms::stop) {
        self->state.server->stop();
        self->state.rt->poll->finished = true;
        self->quit();
      },
      crash_handler("webhook"),
  };
}

caf::actor spawn_webhook_receiver(caf::event_based_actor* parent, runtime_ptr rt) {
  return caf::actor_cast<caf::actor>(
      parent->spawn<caf::detached + caf::monitored>(webhook_receiver, std::move(rt)));
}

}  // namespace nocturna::actors

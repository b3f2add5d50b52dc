#include "actors/http_worker.hpp"

#include "actors/blocking_spawn.hpp"
#include "actors/default_handlers.hpp"
#include "actors/message_types.hpp"
#include "clients/telegram/telegram_client.hpp"

namespace nocturna::actors {

struct http_worker_state {
  std::unique_ptr<bot::telegram_client> client;
  std::shared_ptr<call_aborter> aborter;
  std::shared_ptr<call_ledger> ledger;
  static inline const char* name = "http_worker";

  ~http_worker_state() {
    if (aborter && client) aborter->detach(client.get());
  }
};

caf::behavior http_worker(caf::stateful_actor<http_worker_state>* self, runtime_ptr rt) {
  replace_printing_handlers(self, "http_worker");
  auto& st = self->state;
  st.client = std::make_unique<bot::telegram_client>(rt->api_url, rt->token);
  st.client->set_max_idle(rt->options.sender.max_idle);
  st.aborter = rt->senders;
  st.ledger = rt->ledger;
  st.aborter->attach(st.client.get());
  return {
      [=](atoms::call, const msg::bot_call& c, std::int64_t timeout_ms) {
        auto timeout = std::chrono::milliseconds(timeout_ms);
        auto& client = *self->state.client;
        auto make_call = [&] {
          if (c.file_bytes.empty()) return client.call(c.method, c.json_body, timeout);
          bot::upload_file file{c.file_field, c.file_name, c.file_type, c.file_bytes};
          return client.call_multipart(c.method, c.fields, file, timeout);
        };
        if (c.update_id == 0 || c.seq < 0) return make_call();
        // A call of an inbox row goes out once per process, whichever sender asks for it.
        call_ledger::key key{c.update_id, c.seq};
        auto& ledger = *self->state.ledger;
        if (auto earlier = ledger.begin(key, steady_ms() + timeout_ms)) return *earlier;
        auto r = make_call();
        ledger.finish(key, r);
        return r;
      },
      // Answered once a call that overran its deadline has returned: the sender takes it back.
      [=](atoms::idle) { return atoms::idle::value; },
  };
}

caf::actor spawn_http_worker(caf::local_actor* parent, runtime_ptr rt) {
  return spawn_blocking<caf::linked>(parent, http_worker, rt);
}

}  // namespace nocturna::actors

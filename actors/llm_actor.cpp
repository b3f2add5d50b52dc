#include "actors/llm_actor.hpp"

#include <spdlog/spdlog.h>

#include <functional>
#include <map>

#include "actors/ask_store.hpp"
#include "actors/crash_report.hpp"
#include "actors/default_handlers.hpp"
#include "actors/interfaces.hpp"
#include "actors/message_types.hpp"
#include "actors/single_flight.hpp"
#include "clients/llm/openrouter_client.hpp"
#include "clients/store/store.hpp"
#include "protocol/two_lane_queue.hpp"

namespace nocturna::actors {
namespace {

constexpr std::size_t day_cache_limit = 32;
constexpr auto store_wait = std::chrono::seconds(30);

struct llm_worker_state {
  std::unique_ptr<llm::openrouter_client> client;
  static inline const char* name = "llm_worker";
};

llm_worker_api::behavior_type llm_worker(llm_worker_api::stateful_pointer<llm_worker_state> self,
                                         runtime_ptr rt,
                                         std::shared_ptr<const llm::prompt_set> prompts,
                                         std::shared_ptr<llm::llm_breaker> breaker) {
  replace_printing_handlers(self, "llm_worker");
  self->state.client = std::make_unique<llm::openrouter_client>(rt->options.llm.client, breaker);
  // The blocking call in flight ends at once when the actor is told to stop.
  self->attach_functor([client = self->state.client.get()] { client->stop(); });
  return {
      [=](atoms::interpret, const msg::llm_query& q) {
        msg::llm_answer answer;
        auto deadline =
            std::chrono::steady_clock::time_point(std::chrono::milliseconds(q.deadline_ms));
        auto result =
            self->state.client->complete(q.purpose, prompts->of(q.purpose), q.data, deadline);
        rt->metrics->observe("nocturna_llm_seconds", "", result.latency.count() / 1000.0);
        rt->health->set_upstream(
            "llm", remote::breaker_state_name(breaker->current(std::chrono::steady_clock::now())));
        if (result.ok)
          answer.text = std::move(result.text);
        else
          answer.error = result.describe();
        return answer;
      },
  };
}

msg::llm_answer failed(const std::string& why) {
  msg::llm_answer a;
  a.error = why;
  return a;
}

// A query waiting for a free worker, and what to do with its answer.
struct queued_query {
  msg::llm_query query;
  std::function<void(msg::llm_answer)> done;
};

}  // namespace

struct llm_state {
  runtime_ptr rt;
  std::vector<llm_worker_api> workers;
  std::vector<std::size_t> idle;  // indices into workers
  // One queue for all workers: a query never waits behind a slow call while a worker is free.
  two_lane_queue<queued_query> queue;
  std::map<std::string, std::string> day_texts;  // shared key → text (day and /moon texts)
  single_flight waiting;                         // shared texts being generated
  static inline const char* name = "llm";
};

namespace {

using self_ptr = llm_api::stateful_pointer<llm_state>;

// (purpose, local date, sky place or for /moon the data block, model): the model is the
// process's, so it joins the key for the store and for readers of the log alike.
std::string shared_key(const msg::llm_query& q, const std::string& model) {
  return std::string(llm::params_of(q.purpose).name) + '|' + q.shared_date + '|' + q.shared_place +
         '|' + model;
}

// Only the day's text outlives a restart: the store's table is keyed by date and sky place. A
// /moon text is short and cheap, so memory (day_cache_limit) is enough for it.
bool stored_in_store(const msg::llm_query& q) {
  return q.purpose == llm::purpose::day;
}

void dispatch(self_ptr self) {
  auto& st = self->state;
  while (!st.idle.empty() && !st.queue.empty()) {
    auto job = st.queue.pop();
    const auto left = job.query.deadline_ms - steady_ms();
    if (left <= 0) {
      job.done(failed("deadline passed while queued"));
      continue;
    }
    const auto i = st.idle.back();
    st.idle.pop_back();
    // The worker enforces the deadline itself; the extra second only covers a worker that died.
    self->request(st.workers[i], std::chrono::milliseconds(left + 1000), atoms::interpret::value,
                  job.query)
        .then(
            [=](msg::llm_answer& a) {
              self->state.idle.push_back(i);
              job.done(std::move(a));
              dispatch(self);
            },
            [=](caf::error& e) {
              self->state.idle.push_back(i);
              job.done(failed(self->system().render(e)));
              dispatch(self);
            });
  }
  st.rt->metrics->set("nocturna_llm_queued", "", static_cast<double>(st.queue.size()));
}

void enqueue(self_ptr self, msg::llm_query q, std::function<void(msg::llm_answer)> done) {
  auto& st = self->state;
  // Interpretations waiting for a free worker (LLM_QUEUE_LIMIT); beyond it the caller gets the
  // built-in text at once.
  const auto llm_queue_limit = st.rt->options.llm.queue_limit;
  const char* refused = nullptr;
  if (q.deadline_ms <= steady_ms())
    refused = "deadline";
  else if (st.queue.size() >= llm_queue_limit)
    refused = "full";
  if (refused) {
    // The caller falls back to the built-in text at once instead of waiting behind the queue.
    spdlog::warn("[llm] query refused: {} ({} queued, limit {})",
                 refused == std::string("full") ? "queue full" : "deadline passed on arrival",
                 st.queue.size(), llm_queue_limit);
    st.rt->metrics->add("nocturna_queue_refused_total",
                        std::string("queue=\"llm\",reason=\"") + refused + "\"");
    return done(failed(refused == std::string("full") ? "LLM queue full" : "deadline passed"));
  }
  const bool background = q.background;
  st.queue.push({std::move(q), std::move(done)}, background);
  dispatch(self);
}

void settle(self_ptr self, const std::string& key, const msg::llm_answer& answer) {
  auto& st = self->state;
  if (answer.text) {
    if (st.day_texts.size() >= day_cache_limit) st.day_texts.erase(st.day_texts.begin());
    st.day_texts[key] = *answer.text;
  }
  st.waiting.settle(key, answer);
}

// One generation for a shared key: the store's copy first (a restart keeps the day's text), then
// the model, whose text is stored for everyone after.
void generate_shared(self_ptr self, msg::llm_query q) {
  auto model = self->state.rt->options.llm.client.model;
  auto key = shared_key(q, model);
  auto date = q.shared_date;
  auto place = q.shared_place;
  auto store = find<store_api>(self->system());
  auto log_failure = [key](const char* what) {
    return [key, what](const std::string& why) {
      spdlog::error("[llm] {} of {} failed: {}", what, key, why);
    };
  };
  auto ask_model = [=]() mutable {
    // The generation has its own deadline: a waiter that gives up does not cut it short.
    q.deadline_ms = steady_ms() + self->state.rt->options.llm.client.timeout.count();
    enqueue(self, q, [=](msg::llm_answer a) {
      if (a.text && store && stored_in_store(q)) {
        auto text = *a.text;
        // Nobody waits for the store's answer (a failure is logged).
        ask_store<void>(
            self, store_wait, log_failure("save day interpretation"), [](bool) {},
            atoms::save_day_text::value, date, place, model, text);
      }
      settle(self, key, a);
    });
  };
  if (!store || !stored_in_store(q)) return ask_model();
  ask_store<msg::stored_text>(
      self, std::chrono::seconds(5), log_failure("load day interpretation"),
      [=](std::optional<msg::stored_text> found) mutable {
        if (found && found->text) return settle(self, key, msg::llm_answer{found->text, {}});
        ask_model();
      },
      atoms::day_text::value, date, place, model);
}

}  // namespace

llm_api::behavior_type llm_actor(llm_api::stateful_pointer<llm_state> self, runtime_ptr rt) {
  replace_printing_handlers(self, "llm_actor");
  report_crashes(self, rt, "llm");
  self->state.rt = rt;
  auto prompts =
      std::make_shared<const llm::prompt_set>(llm::load_prompts(rt->options.llm.share_dir));
  auto breaker = std::make_shared<llm::llm_breaker>();
  for (int i = 0; i < rt->options.llm.workers; ++i) {
    self->state.idle.push_back(self->state.workers.size());
    self->state.workers.push_back(
        self->spawn<caf::detached + caf::linked>(llm_worker, rt, prompts, breaker));
  }
  rt->health->set_upstream("llm", "closed");
  spdlog::info("[llm] model={} workers={}", rt->options.llm.client.model, rt->options.llm.workers);
  return {
      [=](atoms::interpret, msg::llm_query& q) -> caf::result<msg::llm_answer> {
        auto& st = self->state;
        if (q.shared_date.empty()) {
          auto rp = self->make_response_promise<msg::llm_answer>();
          enqueue(self, std::move(q),
                  [rp](msg::llm_answer a) mutable { rp.deliver(std::move(a)); });
          return rp;
        }
        auto key = shared_key(q, st.rt->options.llm.client.model);
        if (auto it = st.day_texts.find(key); it != st.day_texts.end())
          return msg::llm_answer{it->second, {}};
        auto rp = self->make_response_promise<msg::llm_answer>();
        if (st.waiting.join(key, rp)) generate_shared(self, std::move(q));
        return rp;
      },
      crash_handler("llm"),
  };
}

caf::actor spawn_llm_actor(caf::event_based_actor* parent, runtime_ptr rt) {
  return caf::actor_cast<caf::actor>(parent->spawn<caf::monitored>(llm_actor, rt));
}

}  // namespace nocturna::actors

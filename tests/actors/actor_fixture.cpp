#include "tests/actors/actor_fixture.hpp"

#include "actors/dispatcher.hpp"
#include "actors/intake.hpp"
#include "actors/message_types.hpp"
#include "actors/sender.hpp"
#include "actors/store_actor.hpp"
#include "app/config.hpp"
#include "app/options.hpp"
#include "clients/telegram/bot_api_loop.hpp"
#include "protocol/bot_types.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/router.hpp"

namespace nocturna::testing {

namespace {

constexpr auto api_wait = std::chrono::seconds(5);

// The bot's spawn functions take the parent actor, as the supervisor calls them: a short-lived
// parent on the coordinator calls one.
template <class Spawn>
caf::actor spawn_from_parent(test_coordinator_fixture<>& f, Spawn spawn) {
  caf::actor child;
  auto parent = f.sys.spawn([&](caf::event_based_actor* p) { child = spawn(p); });
  if (!child) {
    f.sched.prioritize(parent);
    f.sched.run_once();
  }
  return child;
}

}  // namespace

actor_fixture::actor_fixture() {
  sandbox::options o;
  o.port = 0;
  o.threads = 8;
  api = std::make_unique<sandbox::server>(o);
  api->start();
  control = std::make_unique<sandbox::control_client>(api->base_url());
  auto r = std::make_shared<runtime>();
  r->api_url = api->base_url();
  r->token = api->token();
  // The bot's defaults (app/config.hpp), filled into the actors' options as app/run.cpp does.
  config c;
  c.data_dir = dir.path();
  c.telegram_connections = 2;
  c.telegram_rate_limits = false;  // the sender tests bring 429s through sandbox faults
  c.session_idle_s = 3600;
  r->cfg = product_options_of(c);
  r->options = tree_options_of(c);
  r->bot_api = std::make_shared<bot::bot_api_loop>(bot::bot_api_loop::options{
      r->api_url, r->token, r->options.sender.connections, r->options.sender.max_idle});
  rt = r;
  db = store::open_store({dir.path(), ""});
  updates_client = std::make_unique<bot::telegram_client>(api->base_url(), api->token());
}

actor_fixture::~actor_fixture() {
  for (auto* a : {&dispatcher, &sender, &store})
    if (*a) caf::anon_send_exit(*a, caf::exit_reason::kill);
  sched.run();
  for (auto name : std::vector<caf::atom_value>{services::dispatcher::value,
                                                services::sender::value, services::store::value})
    sys.registry().erase(name);
  updates_client.reset();  // its keep-alive connection would hold the sandbox's stop
  rt->bot_api->stop();     // so would the sender's
  api->stop();
}

void actor_fixture::start_store() {
  store = spawn_from_parent(
      *this, [&](caf::event_based_actor* p) { return actors::spawn_store_actor(p, rt); });
  sys.registry().put(services::store::value, store);
  sched.run();
}

void actor_fixture::start_sender() {
  sender = spawn_from_parent(
      *this, [&](caf::event_based_actor* p) { return actors::spawn_sender(p, rt); });
  sys.registry().put(services::sender::value, sender);
  sched.run();
}

void actor_fixture::start_dispatcher() {
  dispatcher = spawn_from_parent(
      *this, [&](caf::event_based_actor* p) { return actors::spawn_dispatcher(p, rt); });
  sys.registry().put(services::dispatcher::value, dispatcher);
  // getMe through the sender, the inbox's pending rows claimed through the store.
  sched.run();
}

msg::update actor_fixture::user_writes(std::int64_t chat_id, const std::string& text) {
  auto sent = control->send(chat_id, text);
  auto r = updates_client->call(
      "getUpdates", json::object().add("offset", next_offset).add("timeout", 0).str(), api_wait);
  CAF_REQUIRE(r.succeeded());
  auto elements = bot::split_updates(r.result_json);
  CAF_REQUIRE(elements && !elements->empty());
  std::vector<store::inbox_row> rows;
  for (auto& e : *elements)
    if (auto row = actors::to_inbox_row(std::move(e), "test")) rows.push_back(std::move(*row));
  CAF_REQUIRE_EQUAL(rows.size(), 1u);
  CAF_REQUIRE_EQUAL(rows.front().update_id, sent.update_id);
  next_offset = rows.front().update_id + 1;
  db->insert_batch(rows, next_offset);
  auto& row = rows.front();
  return msg::update{row.update_id, row.chat_id.value_or(0), row.json, false, steady_ms()};
}

namespace {

caf::resumable* job_of(const caf::actor& a) {
  return dynamic_cast<caf::resumable*>(caf::actor_cast<caf::abstract_actor*>(a));
}

}  // namespace

void actor_fixture::run_all_but(const caf::actor& held) {
  auto* held_job = job_of(held);
  sched.run_jobs_filtered([&](caf::resumable* job) { return job != held_job; });
}

void actor_fixture::run_only(caf::resumable* actor) {
  sched.run_jobs_filtered([&](caf::resumable* job) { return job == actor; });
}

void actor_fixture::run_only(const caf::actor& actor) {
  run_only(job_of(actor));
}

caf::resumable* actor_fixture::last_job() {
  CAF_REQUIRE(!sched.jobs.empty());
  return sched.jobs.back();
}

std::vector<std::string> actor_fixture::bot_texts(std::int64_t chat_id) {
  std::vector<std::string> texts;
  for (auto& m : control->get_transcript(chat_id).bot_messages()) texts.push_back(m.plain);
  return texts;
}

std::size_t actor_fixture::api_calls(const std::string& method, std::int64_t chat_id) {
  return control->calls(0, method, chat_id).calls.size();
}

std::vector<std::pair<std::int64_t, std::string>> actor_fixture::sent_messages() {
  std::vector<std::pair<std::int64_t, std::string>> sent;
  for (auto& call : control->calls(0, "sendMessage").calls)
    sent.emplace_back(call.chat_id.value_or(0), call.param_string("text").value_or(""));
  return sent;
}

store::inbox_row actor_fixture::inbox(std::int64_t update_id) {
  auto row = db->find(update_id);
  CAF_REQUIRE(row.has_value());
  return *row;
}

std::vector<bot::api_response> actor_fixture::answers() {
  std::vector<bot::api_response> result;
  bool more = true;
  while (more)
    self->receive([&](bot::api_response& r) { result.push_back(std::move(r)); },
                  caf::after(std::chrono::seconds(0)) >> [&] { more = false; });
  return result;
}

msg::bot_call send_message_call(std::int64_t chat_id, const std::string& text,
                                std::int64_t update_id, int seq) {
  msg::bot_call call;
  call.chat_id = chat_id;
  call.method = "sendMessage";
  call.json_body = bot::send_message_body(chat_id, text, false);
  call.update_id = update_id;
  call.seq = seq;
  return call;
}

}  // namespace nocturna::testing

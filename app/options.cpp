#include "app/options.hpp"

#include "clients/store/database_url.hpp"

namespace nocturna {

store::store_options store_options_of(const config& c) {
  return {c.data_dir, c.database_url};
}

remote::retry_policy nocturna_retry_of(const config& c) {
  remote::retry_policy p;
  p.attempt_timeout = std::chrono::seconds(c.nocturna_timeout_s);
  p.max_retries = c.nocturna_max_retries;
  return p;
}

remote::remote_options remote_options_of(const config& c) {
  remote::remote_options o;
  o.base_url = c.nocturna_api_url;
  o.service_token = c.nocturna_service_token;
  o.refresh_on_401 = c.nocturna_refresh_on_401;
  o.chiron = c.nocturna_chiron;
  o.policy = nocturna_retry_of(c);
  return o;
}

llm::openrouter_config openrouter_config_of(const config& c) {
  llm::openrouter_config o;
  o.base_url = c.openrouter_base_url;
  o.api_key = c.openrouter_api_key;
  o.model = c.openrouter_model;
  o.app_url = c.openrouter_app_url;
  o.app_title = c.openrouter_app_title;
  o.timeout = std::chrono::seconds(c.openrouter_timeout_s);
  return o;
}

render::chart_service_config chart_service_config_of(const config& c) {
  render::chart_service_config o;
  o.base_url = c.chart_service_url;
  o.api_key = c.chart_service_api_key;
  o.timeout = std::chrono::seconds(c.chart_service_timeout_s);
  return o;
}

sandbox::options sandbox_options_of(const config& c) {
  sandbox::options o;
  o.port = c.sandbox_port;
  // Empty: the sandbox falls back to the source tree's copy.
  if (!c.share_dir.empty()) o.api_spec_path = c.share_dir + "/telegram-bot-api/api.min.json";
  return o;
}

product_options product_options_of(const config& c) {
  product_options o;
  o.timezone = c.timezone;
  o.sky_place_name = c.sky_place_name;
  o.sky_latitude = c.sky_latitude;
  o.sky_longitude = c.sky_longitude;
  o.dialogue_ttl_minutes = c.dialogue_ttl_minutes;
  o.llm_daily_limit = c.llm_daily_limit;
  o.chat_backlog_limit = c.chat_backlog_limit;
  o.openrouter_timeout_s = c.openrouter_timeout_s;
  o.forecast_queue_limit = c.forecast_queue_limit;
  o.llm_on = c.llm_enabled();
  return o;
}

actors::supervisor_options supervisor_options_of(const config& c) {
  actors::supervisor_options o;
  o.mode = c.bot_mode;
  o.restart_limit = c.restart_limit;
  o.restart_window_s = c.restart_window_s;
  return o;
}

actors::sender_options sender_options_of(const config& c) {
  actors::sender_options o;
  o.connections = c.telegram_connections;
  o.max_idle = std::chrono::milliseconds(c.telegram_max_idle_ms);
  o.limits.enabled = c.telegram_rate_limits;
  o.limits.broadcast_limit = static_cast<std::size_t>(c.broadcast_queue_limit);
  o.limits.chat_queue_limit = static_cast<std::size_t>(c.send_chat_queue_limit);
  o.limits.queue_limit = static_cast<std::size_t>(c.send_queue_limit);
  return o;
}

actors::poller_options poller_options_of(const config& c) {
  actors::poller_options o;
  o.poll_timeout_s = c.poll_timeout_s;
  o.drop_pending = c.telegram_drop_pending;
  o.max_idle = std::chrono::milliseconds(c.telegram_max_idle_ms);
  o.backlog_limit = c.intake_backlog_limit;
  return o;
}

actors::webhook_options webhook_options_of(const config& c) {
  actors::webhook_options o;
  o.url = c.webhook_url;
  o.path = c.webhook_path;
  o.host = c.webhook_host;
  o.port = c.webhook_port;
  o.secret = c.webhook_secret;
  o.max_connections = c.webhook_max_connections;
  o.drop_pending = c.telegram_drop_pending;
  o.backlog_limit = c.intake_backlog_limit;
  return o;
}

actors::dispatcher_options dispatcher_options_of(const config& c) {
  actors::dispatcher_options o;
  o.backlog_limit = static_cast<std::size_t>(c.intake_backlog_limit);
  o.session_idle = std::chrono::seconds(c.session_idle_s);
  return o;
}

actors::calc_options calc_options_of(const config& c) {
  actors::calc_options o;
  if (c.remote_calc()) o.remote = remote_options_of(c);
  o.queue_limit = static_cast<std::size_t>(c.calc_queue_limit);
  return o;
}

actors::renderer_options renderer_options_of(const config& c) {
  actors::renderer_options o;
  if (c.chart_service_enabled()) o.service = chart_service_config_of(c);
  o.queue_limit = static_cast<std::size_t>(c.render_queue_limit);
  return o;
}

actors::llm_options llm_options_of(const config& c) {
  actors::llm_options o;
  o.client = openrouter_config_of(c);
  o.workers = c.llm_max_concurrency;
  o.queue_limit = static_cast<std::size_t>(c.llm_queue_limit);
  o.share_dir = c.share_dir;
  return o;
}

actors::tree_options tree_options_of(const config& c) {
  actors::tree_options o;
  o.supervisor = supervisor_options_of(c);
  o.store = store_options_of(c);
  o.sender = sender_options_of(c);
  o.poller = poller_options_of(c);
  o.webhook = webhook_options_of(c);
  o.dispatcher = dispatcher_options_of(c);
  // Webhook instances behind a load balancer share the inbox only on PostgreSQL; SQLite means
  // one instance (a polling one on PostgreSQL coordinates in app/polling_leadership.cpp).
  o.instances.shared = c.bot_mode == bot_mode::webhook && store::is_postgres_url(c.database_url);
  o.instances.lease_s = c.instance_lease_s;
  o.calc = calc_options_of(c);
  o.renderer = renderer_options_of(c);
  o.llm = llm_options_of(c);
  return o;
}

}  // namespace nocturna

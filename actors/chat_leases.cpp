#include "actors/chat_leases.hpp"

namespace nocturna::actors {

bool lease_received_chat(store::store& db, const runtime& rt, std::int64_t chat_id) {
  const auto now = now_utc();
  return db.lease_chat(chat_id, rt.instance_id, now, now + rt.options.instances.lease_s) ==
         rt.instance_id;
}

msg::store_job claim_chat_rows_job(const runtime& rt, std::size_t limit,
                                   std::shared_ptr<std::vector<store::inbox_row>> rows) {
  return {"claim chat rows", [rows, owner = rt.instance_id, lease_s = rt.options.instances.lease_s,
                              limit](store::store& db) {
            const auto now = now_utc();
            *rows = db.claim_chat_rows(owner, now, now + lease_s, limit);
          }};
}

msg::store_job claimed_rows_job(const runtime& rt, std::int64_t after_update_id, std::size_t limit,
                                std::shared_ptr<std::vector<store::inbox_row>> rows) {
  msg::store_job job{"read claimed rows",
                     [rows, owner = rt.instance_id, after_update_id, limit](store::store& db) {
                       *rows = db.claimed_rows(owner, after_update_id, limit);
                     }};
  job.flush_first = true;  // rows finished a moment ago are not pending any more
  return job;
}

msg::store_job release_chat_job(const runtime& rt, std::int64_t chat_id) {
  msg::store_job job{"release chat", [owner = rt.instance_id, chat_id](store::store& db) {
                       db.release_chat(chat_id, owner);
                     }};
  job.flush_first = true;
  return job;
}

}  // namespace nocturna::actors

#include "actors/chat_leases.hpp"

namespace nocturna::actors {

bool lease_received_chat(store::store& db, const runtime& rt, std::int64_t chat_id) {
  const auto now = now_utc();
  return db.lease_chat(chat_id, rt.instance_id, now, now + rt.options.instances.lease_s) ==
         rt.instance_id;
}

}  // namespace nocturna::actors

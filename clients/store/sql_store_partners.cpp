// /compat partners and invitation links (docs/architecture.md "Where state lives").
#include "clients/store/sql_store.hpp"

namespace nocturna::store {
namespace {

const char* const partner_columns =
    "partner_id, name, birth_date, birth_time, place_label, source, distance_km, latitude, "
    "longitude, zone_name";

partner_record partner_from(const sql::row& r) {
  partner_record p;
  p.id = r.integer(0);
  p.name = r.text(1);
  p.birth = detail::birth_fields(r, 2);
  return p;
}

const char* const invite_columns =
    "code, inviter, inviter_name, created_at, expires_at, used_by, answer";

invite_record invite_from(const sql::row& r) {
  invite_record i;
  i.code = r.text(0);
  i.inviter = r.integer(1);
  i.inviter_name = r.text(2);
  i.created_at = r.integer(3);
  i.expires_at = r.integer(4);
  i.used_by = r.opt_integer(5);
  i.answer = r.opt_text(6);
  return i;
}

}  // namespace

std::vector<partner_record> sql_store::partners(std::int64_t user_id) {
  std::vector<partner_record> out;
  for (const auto& r : q(std::string("SELECT ") + partner_columns +
                             " FROM partners WHERE user_id = ? ORDER BY partner_id",
                         {user_id}))
    out.push_back(partner_from(r));
  return out;
}

std::optional<partner_record> sql_store::load_partner(std::int64_t user_id,
                                                      std::int64_t partner_id) {
  auto rows = q(std::string("SELECT ") + partner_columns +
                    " FROM partners WHERE user_id = ? AND partner_id = ?",
                {user_id, partner_id});
  if (rows.empty()) return std::nullopt;
  return partner_from(rows[0]);
}

std::optional<std::int64_t> sql_store::add_partner(std::int64_t user_id, const partner_record& p,
                                                   std::int64_t update_id) {
  sql::transaction tx(*conn_);
  auto again = q("SELECT partner_id FROM partners WHERE user_id = ? AND created_update = ?",
                 {user_id, update_id});
  if (!again.empty()) {
    tx.commit();
    return again[0].integer(0);
  }
  auto count = q("SELECT COUNT(*) FROM partners WHERE user_id = ?", {user_id}).at(0).integer(0);
  if (count >= static_cast<std::int64_t>(max_partners)) {
    tx.commit();
    return std::nullopt;
  }
  ensure_user(user_id);
  const auto id =
      q("UPDATE counters SET value = value + 1 WHERE name = 'partner_id' RETURNING value")
          .at(0)
          .integer(0);
  const auto& b = p.birth;
  q("INSERT INTO partners(partner_id, user_id, name, birth_date, birth_time, place_label, source, "
    "distance_km, latitude, longitude, zone_name, created_update, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    {id, user_id, p.name, b.date, sql::opt(b.time), b.place_label,
     std::string(detail::source_name(b.source)), sql::opt(b.distance_km), b.latitude, b.longitude,
     b.zone, update_id, detail::now_s()});
  tx.commit();
  return id;
}

bool sql_store::delete_partner(std::int64_t user_id, std::int64_t partner_id) {
  return !q("DELETE FROM partners WHERE user_id = ? AND partner_id = ? RETURNING partner_id",
            {user_id, partner_id})
              .empty();
}

void sql_store::save_invite(const invite_record& i) {
  sql::transaction tx(*conn_);
  q("DELETE FROM invites WHERE inviter = ? AND used_by IS NULL AND code <> ?", {i.inviter, i.code});
  q("INSERT INTO invites(code, inviter, inviter_name, created_at, expires_at) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT(code) DO NOTHING",
    {i.code, i.inviter, i.inviter_name, i.created_at, i.expires_at});
  tx.commit();
}

std::optional<invite_record> sql_store::load_invite(const std::string& code) {
  auto rows = q(std::string("SELECT ") + invite_columns + " FROM invites WHERE code = ?", {code});
  if (rows.empty()) return std::nullopt;
  return invite_from(rows[0]);
}

bool sql_store::reserve_invite(const std::string& code, std::int64_t user_id, std::int64_t now_s) {
  // One statement: two users opening the link at once cannot both reserve it.
  return !q("UPDATE invites SET used_by = ? WHERE code = ? AND expires_at > ? AND inviter <> ? "
            "AND answer IS NULL AND (used_by IS NULL OR used_by = ?) RETURNING code",
            {user_id, code, now_s, user_id, user_id})
              .empty();
}

bool sql_store::answer_invite(const std::string& code, std::int64_t user_id,
                              const std::string& answer, std::int64_t update_id) {
  return !q("UPDATE invites SET answer = ?, answer_update = ? WHERE code = ? AND used_by = ? "
            "AND (answer IS NULL OR (answer = ? AND answer_update = ?)) RETURNING code",
            {answer, update_id, code, user_id, answer, update_id})
              .empty();
}

}  // namespace nocturna::store

// A scriptable stand-in for the Nocturna Calculations API (docs/calculations.md §7.11) on
// 127.0.0.1, for the remote backend's and the token tools' error cases. It records every request.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nocturna::testing {

struct recorded_request {
  std::string method;
  std::string path;  // without the query
  std::string body;
  std::string authorization;  // the Authorization header, "" when absent
  std::string content_type;
  std::string user_agent;
};

// An unsigned JWT (`alg: none`) whose payload is `{"exp":exp, <extra>}`; `extra` is a JSON
// fragment like `"scope":"calculations"`. exp < 0 → no exp claim.
std::string make_test_jwt(std::int64_t exp, const std::string& extra = "");

class fake_nocturna {
 public:
  // What /calculations/planetary-positions answers with status 200.
  enum class body_mode { normal, not_json, empty, missing_planet, unknown_envelope_error };

  fake_nocturna();
  ~fake_nocturna();
  fake_nocturna(const fake_nocturna&) = delete;
  fake_nocturna& operator=(const fake_nocturna&) = delete;

  int start();                   // binds an ephemeral port; returns it
  void stop();                   // idempotent; ends pending delays at once
  std::string base_url() const;  // "http://127.0.0.1:PORT/api"

  // ---- positions ----
  void set_wrapped(bool wrapped);  // {"success":true,"data":…} instead of the direct object
  // Statuses of the next positions answers, in order (then 200 again). 200 → positions,
  // 500 → {"detail":"Internal Server Error"}, 5001 → 500 "Error calculating …", 502/503/504 → an
  // HTML proxy page, 422 → a validation list, 401 → Not authenticated, others → {"detail":…}.
  void queue_statuses(std::vector<int> statuses);
  void set_body_mode(body_mode m);
  void set_delay(std::chrono::milliseconds d);  // before every positions answer
  // Positions and /auth/me answer 401 unless the Bearer is one of these (empty list = no check).
  void set_accepted_bearers(std::vector<std::string> tokens);
  void set_chiron_fails(bool fails);  // Chiron-only requests → 500 "Error calculating …"

  // ---- /auth/service-token/refresh ----
  // Answers 200 {access_token, refresh_token, expires_in} when the Bearer equals
  // `service_token`, else 401 {"detail":"Could not validate service token"}. `status` ≠ 200
  // forces that status.
  void set_refresh(std::string service_token, std::string access_token, int expires_in,
                   int status = 200);

  // ---- token tools: /auth/login, /auth/admin/service-tokens, /auth/me ----
  void set_login(std::string email, std::string password, std::string admin_access_token);
  void set_health_status(int status);

  std::vector<recorded_request> requests() const;
  std::vector<recorded_request> requests_to(const std::string& path) const;  // e.g. "/api/health"
  void clear_requests();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace nocturna::testing

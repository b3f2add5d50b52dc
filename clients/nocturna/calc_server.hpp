// Our embedded engine behind the Nocturna Calculations API contract (docs/calculations.md §7.9),
// for `nocturna-bot calc serve`, for tests of the remote backend, and for other clients:
//   POST /api/calculations/planetary-positions, /houses, /aspects; GET /api/health.
// Authorization: with an empty `required_token` any Bearer (or none) is accepted, because the
// server listens on loopback by default and only computes; with one set, every /calculations
// request must carry exactly `Authorization: Bearer <required_token>` (else 401, as the API).
#pragma once

#include <memory>
#include <string>

#include "clients/astro/positions_backend.hpp"

namespace nocturna::remote {

struct calc_server_options {
  std::string host = "127.0.0.1";
  int port = 8091;  // 0 = ephemeral
  std::string required_token;
  int threads = 8;
  // Where positions come from; null = the embedded Swiss Ephemeris.
  std::shared_ptr<astro::positions_backend> backend;
};

class calc_server {
 public:
  explicit calc_server(calc_server_options opts);
  ~calc_server();
  calc_server(const calc_server&) = delete;
  calc_server& operator=(const calc_server&) = delete;

  // Binds and serves on a thread; returns the bound port. Throws std::runtime_error when the
  // port cannot be bound.
  int start();
  // Stops serving and joins. Idempotent.
  void stop();
  // "http://127.0.0.1:PORT/api" once started: what NOCTURNA_API_URL would be.
  std::string base_url() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace nocturna::remote

// Request bodies for the chart service (docs/integrations.md §2.3, §2.4, and the synastry route of
// docs/architecture.md «LLM texts and pictures»): pure, tested without HTTP.
#pragma once

#include <cstdint>
#include <string>

#include "protocol/chart.hpp"

namespace nocturna::render {

// True when the chart can be sent: SUN..PLUTO all present with finite longitude in [0, 360) and
// latitude in [-90, 90], and (when `need_houses`) exactly 12 finite cusps.
bool chart_service_can_send(const astro::chart& c, bool need_houses = true);

// POST /api/v1/chart/render: planets SUN..PLUTO, 12 cusps, aspect orbs 8/8/6/6/4, PNG of
// `size`×`size`, light theme.
std::string wheel_request_json(const astro::chart& c, int size = 800);

// POST /api/v1/chart/render/transit: natal planets and cusps, transit planets and the transit
// moment as UTC with `Z`, natal-to-transit aspects only (orb 3), PNG of `size`×`size`.
std::string transit_request_json(const astro::chart& natal, const astro::chart& transit,
                                 int size = 1000);

// POST /api/v1/chart/render/synastry (the service's API.md §1.3): `person1` the reader (planets
// and 12 cusps, the houses drawn), `person2` the partner (planets and 12 cusps: the service needs
// both), the aspects inside each chart off and the inter-aspects on with the natal orbs 8/8/6/6/4
// of astro::synastry_aspects, PNG of `size`×`size`. No names: the service draws positions only.
std::string synastry_request_json(const astro::chart& user, const astro::chart& partner,
                                  int size = 1000);

// "2026-01-11T17:00:00Z" for Unix seconds.
std::string utc_iso8601(std::int64_t unix_seconds);

}  // namespace nocturna::render

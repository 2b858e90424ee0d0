#pragma once

#include <nlohmann/json.hpp>

#include "messages/telemetry.hpp"

namespace parley {

/// `GET /dashboard/summary` as JSON: times in seconds (`_s`), ratios from 0
/// to 1, and the latency histogram as cumulative counts per upper bound,
/// from which the page derives each polling interval's figures.
nlohmann::json dashboard_json(const dashboard_summary& summary);

} // namespace parley

#pragma once

#include <cstddef>
#include <string>

#include <caf/fwd.hpp>

#include "messages/telemetry.hpp"

namespace parley {

/// Most language pairs with series of their own; the rest count as `other`.
constexpr size_t max_labelled_pairs = 64;

/// The label of `source`→`target` for a model that announced `served`
/// (nullptr: nothing yet): `en-es` when it serves the pair (a model that
/// announced no language serves any pair) and both tags are plain, else
/// `other`. The telemetry actor also folds into `other` every pair beyond
/// `max_labelled_pairs`, so requests never make labels of their own.
std::string pair_label(const language_routes* served, const std::string& source,
                       const std::string& target);

/// Spawns the telemetry actor (`telemetry_actor` in messages/telemetry.hpp):
/// it keeps the histograms of requests and batches, answers them as
/// Prometheus series for `/metrics` and as a snapshot for the dashboard.
telemetry_actor spawn_telemetry(caf::actor_system& sys);

/// What a translation handler tells the telemetry actor, when there is one:
/// free functions, so any path that answers requests can report alike.
void report_request(const telemetry_actor& telemetry, request_sample sample);
void report_batch(const telemetry_actor& telemetry, batch_sample sample);

} // namespace parley

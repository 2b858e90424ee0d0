// The Prometheus text format of io/http/prometheus: counters, gauges and
// histograms with their buckets in order.

#include <catch2/catch.hpp>

#include "io/http/prometheus.hpp"

using namespace parley;

TEST_CASE("a histogram renders as one family: its TYPE line, buckets in "
          "increasing le with +Inf last, then sum and count",
          "[io][prometheus]") {
  metrics m;
  m.values["x_seconds_bucket{model=\"a\",le=\"0.5\"}"] = 1;
  m.values["x_seconds_bucket{model=\"a\",le=\"10\"}"] = 2;
  m.values["x_seconds_bucket{model=\"a\",le=\"+Inf\"}"] = 3;
  m.values["x_seconds_bucket{model=\"a\",le=\"2.5\"}"] = 2;
  m.values["x_seconds_sum{model=\"a\"}"] = 12.5;
  m.values["x_seconds_count{model=\"a\"}"] = 3;
  m.values["jobs_total"] = 4;
  auto text = to_prometheus(m);
  CHECK(text
        == "# TYPE parley_jobs_total counter\n"
           "parley_jobs_total 4\n"
           "# TYPE parley_x_seconds histogram\n"
           "parley_x_seconds_bucket{model=\"a\",le=\"0.5\"} 1\n"
           "parley_x_seconds_bucket{model=\"a\",le=\"2.5\"} 2\n"
           "parley_x_seconds_bucket{model=\"a\",le=\"10\"} 2\n"
           "parley_x_seconds_bucket{model=\"a\",le=\"+Inf\"} 3\n"
           "parley_x_seconds_sum{model=\"a\"} 12.5\n"
           "parley_x_seconds_count{model=\"a\"} 3\n");
}

TEST_CASE("a name ending in _sum or _count without buckets stays a gauge",
          "[io][prometheus]") {
  metrics m;
  m.values["queue_count"] = 2;
  CHECK(to_prometheus(m)
        == "# TYPE parley_queue_count gauge\n"
           "parley_queue_count 2\n");
}

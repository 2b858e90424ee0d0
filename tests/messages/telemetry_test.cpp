// The histogram of messages/telemetry: buckets and quantiles as
// Prometheus' histogram_quantile computes them.

#include <catch2/catch.hpp>

#include "messages/telemetry.hpp"

using namespace parley;

TEST_CASE("a histogram counts each value in the first bucket whose bound "
          "holds it, and past the last bound in the overflow bucket",
          "[messages][telemetry]") {
  auto h = histogram::of_batch_sizes(); // 1, 2, 4, 8, 16, 32, 64
  for (double size : {1.0, 2.0, 3.0, 4.0, 100.0})
    h.observe(size);
  REQUIRE(h.counts.size() == h.bounds.size() + 1);
  CHECK(h.counts[0] == 1); // 1
  CHECK(h.counts[1] == 1); // 2
  CHECK(h.counts[2] == 2); // 3 and 4
  CHECK(h.counts.back() == 1);
  CHECK(h.count == 5);
  CHECK(h.sum == Approx(110));
}

TEST_CASE("a histogram's quantile interpolates inside its bucket, is 0 "
          "when empty and the last bound when it overflows",
          "[messages][telemetry]") {
  auto h = histogram::of_seconds();
  CHECK(h.quantile(0.5) == 0);
  // Four values in (0.005, 0.01]: the median lies halfway through it.
  for (int i = 0; i < 4; ++i)
    h.observe(0.008);
  CHECK(h.quantile(0.5) == Approx(0.0075));
  CHECK(h.quantile(1.0) == Approx(0.01));
  h.observe(1000);
  CHECK(h.quantile(1.0) == Approx(h.bounds.back()));
}

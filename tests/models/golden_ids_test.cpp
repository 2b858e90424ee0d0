// The greedy-id rule of the golden checks: another compute type may choose a
// different id only where the float32 reference's top-2 margin is below that
// type's tolerance, and each such near-tie is reported.

#include "tests/support/torch_catch.hpp"

#include <ATen/ATen.h>

#include "models/golden_tensors.hpp"

using namespace parley;

namespace {

constexpr double tolerance = 0.1;

/// Teacher-forced logits [1, positions, 3] whose top-2 margin at position P
/// is `margins[P]` (id 0 ahead of id 1).
at::Tensor logits_with_margins(const std::vector<float>& margins) {
  auto logits = at::zeros({1, static_cast<int64_t>(margins.size()), 3});
  for (size_t p = 0; p < margins.size(); ++p) {
    logits[0][static_cast<int64_t>(p)][0] = 1.0F + margins[p];
    logits[0][static_cast<int64_t>(p)][1] = 1.0F;
  }
  return logits;
}

at::Tensor ids(std::vector<int64_t> values) {
  return at::tensor(values, at::kLong).unsqueeze(0);
}

} // namespace

TEST_CASE("identical greedy ids pass with no near-tie", "[models][golden]") {
  auto check = compare_greedy_ids(ids({2, 5, 6, 7}), ids({2, 5, 6, 7}),
                                  logits_with_margins({3, 3, 3}), tolerance);
  CHECK(check.passed);
  CHECK(check.max_abs_diff == 0);
  CHECK(check.near_ties.empty());
}

TEST_CASE("an id that differs where the reference's margin is below the "
          "tolerance is a reported near-tie; the row is not compared after it",
          "[models][golden]") {
  // Position 2 is predicted by logits position 1, whose margin is 0.05.
  auto check =
      compare_greedy_ids(ids({2, 5, 9, 9}), ids({2, 5, 6, 7}),
                         logits_with_margins({3, 0.05F, 3}), tolerance);
  CHECK(check.passed);
  REQUIRE(check.near_ties.size() == 1);
  CHECK_THAT(check.near_ties[0], Catch::Contains("position 2"));
  CHECK_THAT(check.near_ties[0], Catch::Contains("id 9 for 6"));
}

TEST_CASE("an id that differs where the reference's margin is clear fails",
          "[models][golden]") {
  auto check =
      compare_greedy_ids(ids({2, 5, 6, 9}), ids({2, 5, 6, 7}),
                         logits_with_margins({0.05F, 0.05F, 0.5F}), tolerance);
  CHECK_FALSE(check.passed);
  CHECK(check.max_abs_diff == 1);
  CHECK(check.near_ties.empty());
}

TEST_CASE("rows of different lengths fail unless a row diverged at a "
          "near-tie",
          "[models][golden]") {
  auto reference = logits_with_margins({3, 3, 3});
  auto longer = compare_greedy_ids(ids({2, 5, 6, 7, 8}), ids({2, 5, 6, 7}),
                                   reference, tolerance);
  CHECK_FALSE(longer.passed);
  CHECK_THAT(longer.detail, Catch::Contains("shape"));
  auto tied = compare_greedy_ids(ids({2, 5, 6, 1, 1}), ids({2, 5, 6, 7}),
                                 logits_with_margins({3, 3, 0.01F}), tolerance);
  CHECK(tied.passed);
  CHECK(tied.near_ties.size() == 1);
}

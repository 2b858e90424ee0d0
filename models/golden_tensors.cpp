#include "models/golden_tensors.hpp"

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace parley {

namespace {

std::string shape_mismatch(const at::Tensor& actual,
                           const at::Tensor& expected) {
  std::ostringstream why;
  why << "shape " << actual.sizes() << ", expected " << expected.sizes();
  return why.str();
}

} // namespace

nlohmann::json read_golden_json(const std::string& path) {
  std::ifstream in{path};
  if (!in)
    throw std::runtime_error("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = nlohmann::json::parse(text.str(), nullptr, false);
  if (!parsed.is_object())
    throw std::runtime_error(path + " is not a JSON object");
  return parsed;
}

golden_check compare_tensor(const std::string& name,
                            const at::Tensor& actual_anywhere,
                            const at::Tensor& expected, double tolerance,
                            const at::Tensor& mask) {
  golden_check check{name, 0, tolerance, false, {}};
  auto actual = actual_anywhere.to(at::kCPU).to(at::kFloat);
  if (actual.sizes() != expected.sizes()) {
    check.detail = shape_mismatch(actual, expected);
    return check;
  }
  auto diff = (actual - expected).abs();
  if (mask.defined())
    diff = diff * mask;
  check.max_abs_diff = diff.max().item<double>();
  check.passed = check.max_abs_diff <= tolerance;
  return check;
}

golden_check compare_greedy_ids(const at::Tensor& actual,
                                const at::Tensor& expected,
                                const at::Tensor& reference_logits,
                                double tolerance) {
  golden_check check{"greedy_ids", 0, tolerance, false, {}, {}};
  if (actual.dim() != 2 || expected.dim() != 2
      || actual.size(0) != expected.size(0)) {
    check.detail = shape_mismatch(actual, expected);
    return check;
  }
  auto top2 = std::get<0>(reference_logits.to(at::kFloat).topk(2, -1));
  auto margins = (top2.select(-1, 0) - top2.select(-1, 1)).contiguous();
  auto got = actual.to(at::kLong).contiguous();
  auto want = expected.to(at::kLong).contiguous();
  auto common = std::min(got.size(1), want.size(1));
  auto differing = 0.0;
  for (int64_t row = 0; row < want.size(0); ++row) {
    for (int64_t p = 0; p < common; ++p) {
      auto a = got[row][p].item<int64_t>();
      auto b = want[row][p].item<int64_t>();
      if (a == b)
        continue;
      auto margin = p > 0 && p - 1 < margins.size(1)
                        ? margins[row][p - 1].item<double>()
                        : std::numeric_limits<double>::infinity();
      if (margin < tolerance) {
        std::ostringstream tie;
        tie << "row " << row << " position " << p << ": id " << a << " for "
            << b << ", reference margin " << margin;
        check.near_ties.push_back(tie.str());
      } else {
        ++differing;
      }
      break; // the rest of the row follows another prefix
    }
  }
  check.max_abs_diff = differing;
  check.passed = differing == 0;
  if (got.size(1) != want.size(1) && check.near_ties.empty()) {
    check.detail = shape_mismatch(actual, expected);
    check.passed = false;
  }
  return check;
}

} // namespace parley

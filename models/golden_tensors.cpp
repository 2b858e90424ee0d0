#include "models/golden_tensors.hpp"

#include <fstream>
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

golden_check compare_tensor(const std::string& name, const at::Tensor& actual,
                            const at::Tensor& expected, double tolerance,
                            const at::Tensor& mask) {
  golden_check check{name, 0, tolerance, false, {}};
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

golden_check compare_ids(const at::Tensor& actual, const at::Tensor& expected) {
  golden_check check{"greedy_ids", 0, 0, false, {}};
  if (actual.sizes() != expected.sizes()) {
    check.detail = shape_mismatch(actual, expected);
    return check;
  }
  check.max_abs_diff = actual.ne(expected).sum().item<double>();
  check.passed = check.max_abs_diff == 0;
  return check;
}

} // namespace parley

#include "tests/support/torch_catch.hpp"

#include <c10/core/InferenceMode.h>

#include "models/transformer/step_attention.hpp"

using namespace parley::transformer;

namespace {

/// The attention of one position written out with libtorch's products.
at::Tensor plain_attention(const at::Tensor& q, const at::Tensor& k,
                           const at::Tensor& v, const at::Tensor& mask,
                           double scale) {
  auto scores = at::matmul(q * scale, k.transpose(2, 3));
  if (mask.defined())
    scores = scores + mask;
  auto out = at::matmul(at::softmax(scores, -1), v);
  return out.transpose(1, 2).reshape({q.size(0), 1, -1});
}

} // namespace

TEST_CASE("one step's attention matches the plain products, over room views "
          "and contiguous caches, with and without masks",
          "[models][step_attention]") {
  c10::InferenceMode inference;
  auto generator = at::make_generator<at::CPUGeneratorImpl>(5);
  int64_t rows = 3, heads = 4, head_dim = 40, length = 9;
  auto q = at::randn({rows, heads, 1, head_dim}, generator);
  // A room of 16 positions, of which `length` are filled: strided views.
  auto room_k = at::randn({rows, heads, 16, head_dim}, generator);
  auto room_v = at::randn({rows, heads, 16, head_dim}, generator);
  auto k = room_k.narrow(2, 0, length);
  auto v = room_v.narrow(2, 0, length);
  auto padding = at::zeros({rows, 1, 1, length});
  padding[1][0][0].narrow(0, 6, 3).fill_(std::numeric_limits<float>::lowest());
  auto causal_like = at::randn({1, 1, 1, length}, generator);
  for (const auto& mask : {at::Tensor(), padding, causal_like}) {
    for (bool contiguous : {false, true}) {
      INFO("mask " << (mask.defined() ? mask.size(0) : 0) << ", contiguous "
                   << contiguous);
      auto keys = contiguous ? k.contiguous() : k;
      auto values = contiguous ? v.contiguous() : v;
      auto expected = plain_attention(q, keys, values, mask, 0.125);
      auto actual = attend_one_position(q, keys, values, mask, 0.125);
      REQUIRE(actual.sizes() == expected.sizes());
      CHECK(at::allclose(actual, expected, 1e-5, 1e-5));
    }
  }
}

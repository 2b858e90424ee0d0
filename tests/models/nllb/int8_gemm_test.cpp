#include "tests/support/torch_catch.hpp"

#include <c10/core/InferenceMode.h>

#include "models/nllb/generate.hpp"
#include "models/nllb/int8_gemm.hpp"
#include "models/nllb/model.hpp"
#include "tests/support/nllb_fixture.hpp"

using namespace parley;
using namespace parley::nllb;

TEST_CASE("int8 gemm computes the quantized product exactly", "[models]") {
  // Widths with and without a 32-wide tail; one and several input rows.
  for (int64_t cols : {1024, 77, 8}) {
    for (int64_t m : {1, 5}) {
      INFO("cols " << cols << ", rows " << m);
      int64_t rows = 300;
      auto generator = at::make_generator<at::CPUGeneratorImpl>(cols + m);
      auto weights = at::randint(-127, 128, {rows, cols}, generator, at::kChar);
      auto scales = at::rand({rows}, generator) * 0.01 + 0.001;
      auto bias = at::randn({rows}, generator);
      auto x = at::randn({m, cols}, generator);
      auto y = at::empty({m, rows});
      int8_gemm(weights.data_ptr<int8_t>(), scales.data_ptr<float>(),
                bias.data_ptr<float>(), x.data_ptr<float>(),
                y.data_ptr<float>(), m, rows, cols);
      // The same math written out: each input row quantized symmetrically,
      // integer dot products, then both scales and the bias.
      auto x_scales = x.abs().amax(1).to(at::kDouble) / 127.0;
      auto xq =
          at::round(x.to(at::kDouble) / x_scales.unsqueeze(1)).clamp(-127, 127);
      auto dots = at::mm(xq, weights.to(at::kDouble).t());
      auto expected = dots * scales.to(at::kDouble) * x_scales.unsqueeze(1)
                      + bias.to(at::kDouble);
      CHECK(at::allclose(y.to(at::kDouble), expected, 1e-5, 1e-5));
      // And it approximates the float product.
      auto exact =
          at::mm(x, (weights.to(at::kFloat) * scales.unsqueeze(1)).t()) + bias;
      CHECK((y - exact).abs().max().item<float>()
            < 0.02 * exact.abs().max().item<float>() + 1e-3);
    }
  }
}

TEST_CASE("int8 decoding steps stay close to float ones", "[models]") {
  c10::InferenceMode inference;
  select_quantized_engine();
  model fp32{load_weights(test::nllb_fixture_dir(), load_options{})};
  model int8{
      load_weights(test::nllb_fixture_dir(), load_options{compute_type::int8})};
  auto ids = at::tensor(std::vector<int64_t>{1001, 478, 867, 548, 532, 2})
                 .view({1, -1});
  auto mask = at::ones_like(ids);
  auto exact_state = fp32.start(fp32.encode(ids, mask), mask);
  auto approx_state = int8.start(int8.encode(ids, mask), mask);
  auto token = at::full({1}, 2, at::kLong);
  for (int step = 0; step < 4; ++step) {
    auto exact = fp32.step(exact_state, token);
    auto approx = int8.step(approx_state, token);
    auto cosine = at::cosine_similarity(exact.flatten(), approx.flatten(), 0)
                      .item<double>();
    INFO("step " << step);
    CHECK(cosine > 0.99);
    token = exact.argmax(-1);
  }
}

#include "tests/support/torch_catch.hpp"

#include <cmath>

#include "models/nllb/linear.hpp"
#include "models/nllb/packed_float.hpp"

using namespace parley::nllb;

TEST_CASE("a packed float32 weight computes the float product", "[models]") {
  // Widths on and off the kernels' blocks; a few rows and many.
  for (int64_t in : {1024, 77}) {
    for (int64_t out : {301, 64}) {
      auto generator = at::make_generator<at::CPUGeneratorImpl>(in + out);
      auto w = at::randn({out, in}, generator);
      auto bias = at::randn({out}, generator);
      packed_float_weight packed{w.data_ptr<float>(), out, in};
      CHECK(packed.bytes() >= out * in * 4);
      for (int64_t m : {1, 2, 16, 130}) {
        INFO("in " << in << ", out " << out << ", rows " << m);
        auto x = at::randn({m, in}, generator);
        auto expected = at::mm(x.to(at::kDouble), w.to(at::kDouble).t())
                        + bias.to(at::kDouble);
        auto y = at::full({m, out}, std::nanf(""));
        packed.apply(x.data_ptr<float>(), bias.data_ptr<float>(),
                     y.data_ptr<float>(), m);
        CHECK(at::allclose(y.to(at::kDouble), expected, 1e-4, 1e-4));
        auto without_bias = at::full({m, out}, std::nanf(""));
        packed.apply(x.data_ptr<float>(), nullptr,
                     without_bias.data_ptr<float>(), m);
        CHECK(at::allclose(without_bias.to(at::kDouble),
                           expected - bias.to(at::kDouble), 1e-4, 1e-4));
      }
    }
  }
}

TEST_CASE("a float32 Linear layer gives the same product for every row count",
          "[models]") {
  auto generator = at::make_generator<at::CPUGeneratorImpl>(7);
  auto w = at::randn({96, 40}, generator);
  auto bias = at::randn({96}, generator);
  linear_layer layer{w, bias};
  layer.convert(compute_type::float32);
  // One row (a matrix-vector product) and several (the packed weight), with
  // leading dimensions kept.
  for (int64_t m : {1, 3, 100}) {
    INFO(m << " rows");
    auto x = at::randn({m, 1, 40}, generator);
    auto y = layer(x);
    REQUIRE(y.sizes() == at::IntArrayRef({m, 1, 96}));
    CHECK(at::allclose(y, at::linear(x, w, bias), 1e-4, 1e-4));
  }
}

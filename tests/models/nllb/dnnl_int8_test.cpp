#include "tests/support/torch_catch.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

#include <ATen/core/dispatch/Dispatcher.h>
#include <ATen/native/quantized/PackedParams.h>

#include "models/nllb/dnnl_int8.hpp"
#include "models/nllb/int8_gemm.hpp"
#include "models/nllb/linear.hpp"
#include "models/transformer/cpu_features.hpp"

using namespace parley::nllb;

namespace {

struct quantized_weight {
  at::Tensor rows;   // int8 [out, in]
  at::Tensor scales; // float [out]
  at::Tensor dequantized() const {
    return rows.to(at::kFloat) * scales.unsqueeze(1);
  }
};

quantized_weight quantize(const at::Tensor& w) {
  auto scales = (w.abs().amax(1) / 127.0f).clamp_min(1e-12f);
  auto rows = at::round(w / scales.unsqueeze(1)).clamp(-127, 127);
  return {rows.to(at::kChar).contiguous(), scales.contiguous()};
}

} // namespace

TEST_CASE("oneDNN's int8 product stays within the input quantization step "
          "of the float product on the same int8 weights",
          "[models]") {
  const auto& cpu = parley::transformer::host_cpu_features();
  // Widths on and off the kernels' blocks; a few rows and many.
  for (int64_t in : {1024, 77}) {
    for (int64_t out : {301, 64}) {
      auto generator = at::make_generator<at::CPUGeneratorImpl>(in * out);
      auto w = quantize(at::randn({out, in}, generator));
      auto bias = at::randn({out}, generator);
      dnnl_int8_weight packed{w.rows.data_ptr<int8_t>(),
                              w.scales.data_ptr<float>(), out, in};
      CHECK(packed.bytes() >= out * in);
      auto exact_w = w.dequantized().to(at::kDouble);
      for (int64_t m : {1, 5, 16, 130}) {
        INFO("in " << in << ", out " << out << ", rows " << m << ", kernel "
                   << packed.kernel(m));
        // Rows of very different sizes: each is quantized on its own scale.
        auto x = at::randn({m, in}, generator)
                 * at::exp(at::randn({m, 1}, generator) * 2);
        auto expected = at::mm(x.to(at::kDouble), exact_w.t());
        // Each input is off by at most half its row's step (max |x| / 127);
        // the sum of those errors times the weights is bounded by half a
        // step times the row's sum of |W|. float32 output rounding adds a
        // relative 1e-6 at most.
        auto half_step = x.abs().amax(1).to(at::kDouble) / 127.0 / 2.0;
        auto bound = half_step.unsqueeze(1) * exact_w.abs().sum(1).unsqueeze(0);
        if (!cpu.avx512_vnni && !cpu.amx_int8)
          // Without VNNI oneDNN halves the weights to keep its 16-bit
          // pairwise sums from saturating: half a weight step more.
          bound = bound
                  + x.abs().to(at::kDouble).sum(1).unsqueeze(1)
                        * w.scales.to(at::kDouble).unsqueeze(0) / 2.0;
        auto tolerance = bound + 1e-6 * expected.abs() + 1e-6;
        auto y = at::full({m, out}, std::nanf(""));
        packed.apply(x.data_ptr<float>(), bias.data_ptr<float>(),
                     y.data_ptr<float>(), m);
        auto error =
            (y.to(at::kDouble) - bias.to(at::kDouble) - expected).abs();
        CHECK((error <= tolerance).all().item<bool>());
        // The quantization is not a no-op: the bound is not vacuous.
        CHECK((bound < expected.abs().amax(1, true)).all().item<bool>());
        auto without_bias = at::full({m, out}, std::nanf(""));
        packed.apply(x.data_ptr<float>(), nullptr,
                     without_bias.data_ptr<float>(), m);
        CHECK(((without_bias.to(at::kDouble) - expected).abs() <= tolerance)
                  .all()
                  .item<bool>());
      }
    }
  }
}

TEST_CASE("an int8 Linear layer gives close products for every row count",
          "[models]") {
  auto generator = at::make_generator<at::CPUGeneratorImpl>(11);
  auto w = at::randn({96, 40}, generator);
  auto bias = at::randn({96}, generator);
  linear_layer layer{w, bias};
  layer.convert(compute_type::int8);
  auto exact_w = quantize(w).dequantized();
  // Own kernel (few rows) and oneDNN (more), leading dimensions kept.
  for (int64_t m : {1, 3, 16, 100}) {
    INFO(m << " rows");
    auto x = at::randn({m, 1, 40}, generator);
    auto y = layer(x);
    REQUIRE(y.sizes() == at::IntArrayRef({m, 1, 96}));
    auto expected = at::linear(x, exact_w, bias);
    auto half_step = x.abs().amax(-1, true) / 127.0 / 2.0;
    auto bound = half_step * exact_w.abs().sum(1) + 1e-4;
    CHECK(((y - expected).abs() <= bound).all().item<bool>());
  }
}

// Not run by default: times each int8 path and bfloat16 on the shapes of an
// NLLB-600M step and encoder, to back the choice in linear.cpp.
TEST_CASE("int8 product paths per shape", "[.][int8_shapes]") {
  select_quantized_engine();
  using clock_type = std::chrono::steady_clock;
  auto time_ms = [](auto&& run) {
    run();
    double best = 1e30;
    for (int round = 0; round < 5; ++round) {
      auto start = clock_type::now();
      run();
      best = std::min(best, std::chrono::duration<double, std::milli>(
                                clock_type::now() - start)
                                .count());
    }
    return best;
  };
  struct shape {
    int64_t m, in, out;
  };
  for (auto s :
       {shape{16, 1024, 1024}, shape{16, 1024, 4096}, shape{16, 4096, 1024},
        shape{16, 1024, 256206}, shape{8, 1024, 4096}, shape{4, 1024, 4096},
        shape{1, 1024, 4096}, shape{1, 1024, 256206}, shape{64, 1024, 4096},
        shape{512, 1024, 1024}, shape{512, 1024, 4096},
        shape{512, 4096, 1024}}) {
    auto generator = at::make_generator<at::CPUGeneratorImpl>(1);
    auto w = at::randn({s.out, s.in}, generator);
    auto q = quantize(w);
    auto x = at::randn({s.m, s.in}, generator);
    auto y = at::empty({s.m, s.out});
    dnnl_int8_weight packed{q.rows.data_ptr<int8_t>(),
                            q.scales.data_ptr<float>(), s.out, s.in};
    auto torch_packed = at::_make_per_channel_quantized_tensor(
        q.rows, q.scales.to(at::kDouble), at::zeros({s.out}, at::kLong), 0);
    static auto prepack =
        c10::Dispatcher::singleton()
            .findSchemaOrThrow("quantized::linear_prepack", "")
            .typed<c10::intrusive_ptr<LinearPackedParamsBase>(
                at::Tensor, c10::optional<at::Tensor>)>();
    auto torch_int8 = prepack.call(torch_packed, c10::nullopt);
    auto bf16 = q.dequantized().to(at::kBFloat16);
    double own = time_ms([&] {
      int8_gemm(q.rows.data_ptr<int8_t>(), q.scales.data_ptr<float>(), nullptr,
                x.data_ptr<float>(), y.data_ptr<float>(), s.m, s.out, s.in);
    });
    double onednn = time_ms([&] {
      packed.apply(x.data_ptr<float>(), nullptr, y.data_ptr<float>(), s.m);
    });
    auto dnnl_y = y.clone();
    double libtorch =
        time_ms([&] { torch_int8->apply_dynamic(x, /*reduce_range=*/false); });
    double bfloat16 =
        time_ms([&] { at::linear(x.to(at::kBFloat16), bf16).to(at::kFloat); });
    std::printf("%4lld x %5lld x %6lld: own int8 %8.2f ms, oneDNN int8 %8.2f "
                "ms (%s), libtorch int8 %8.2f ms, bfloat16 %8.2f ms, weights "
                "%.1f GB/s at best\n",
                static_cast<long long>(s.m), static_cast<long long>(s.in),
                static_cast<long long>(s.out), own, onednn,
                packed.kernel(s.m).c_str(), libtorch, bfloat16,
                s.in * s.out / std::min(own, onednn) / 1e6);
    // Same products (a loose check: the bounds are the first test's).
    auto exact = at::linear(x, q.dequantized());
    CHECK((dnnl_y - exact).abs().max().item<float>()
          < 0.05 * exact.abs().max().item<float>());
  }
}

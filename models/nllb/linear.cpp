#include "models/nllb/linear.hpp"

#include <stdexcept>

#include "models/nllb/int8_gemm.hpp"

namespace parley::nllb {

linear_layer::linear_layer(at::Tensor weight, at::Tensor bias)
    : weight_(std::move(weight)), bias_(std::move(bias)) {
}

void linear_layer::quantize(bool keep_float) {
  // Symmetric int8 per output channel: one scale per row of W, in [-127, 127]
  // so that int8_gemm's pairwise sums cannot saturate.
  auto scales = (weight_.abs().amax(/*dim=*/1) / 127.0f).clamp_min(1e-12f);
  auto rows = at::round(weight_ / scales.unsqueeze(1)).clamp(-127, 127);
  int8_rows_ = rows.to(at::kChar).contiguous();
  row_scales_ = scales.contiguous();
#if PARLEY_WITH_DNNL
  dnnl_int8_ = std::make_shared<const dnnl_int8_weight>(
      int8_rows_.data_ptr<int8_t>(), row_scales_.data_ptr<float>(),
      int8_rows_.size(0), int8_rows_.size(1));
#else
  throw std::runtime_error("the int8 compute types need oneDNN, which this "
                           "libtorch-only build lacks");
#endif
  packed_bytes_ = weight_.numel() + weight_.size(0) * 4;
  if (!keep_float)
    weight_ = at::Tensor();
}

void linear_layer::convert(compute_type type, bool keep_float) {
  switch (type) {
  case compute_type::float32: {
#if PARLEY_WITH_DNNL
    auto w = weight_.contiguous();
    packed_float_ = std::make_shared<const packed_float_weight>(
        w.data_ptr<float>(), w.size(0), w.size(1));
#endif
    return;
  }
  case compute_type::int8:
    quantize(keep_float);
    return;
  case compute_type::bfloat16:
    bf16_weight_ = weight_.to(at::kBFloat16).contiguous();
    break;
  case compute_type::float16: // CUDA only: kept float32 on the CPU
    return;
  case compute_type::int8_bfloat16:
    quantize(/*keep_float=*/true);
    // The int8 weights themselves, widened: every row count computes with
    // the same weights.
    bf16_weight_ = (int8_rows_.to(at::kFloat) * row_scales_.unsqueeze(1))
                       .to(at::kBFloat16)
                       .contiguous();
    break;
  }
  if (!keep_float)
    weight_ = at::Tensor();
}

void linear_layer::to_device(c10::Device device, at::ScalarType dtype) {
  weight_ = weight_.to(device, dtype).contiguous();
  if (bias_.defined())
    bias_ = bias_.to(device, dtype).contiguous();
}

at::Tensor linear_layer::operator()(const at::Tensor& x) const {
  if (weight_.defined() && !weight_.is_cpu())
    return at::linear(x, weight_, bias_);
  auto input_rows = x.numel() / x.size(-1);
  bool one_row = input_rows == 1;
  [[maybe_unused]] const float* bias =
      bias_.defined() ? bias_.data_ptr<float>() : nullptr;
  // Kernels outside libtorch take [rows, in] and give [rows, out]; `x`
  // keeps its leading dimensions.
  [[maybe_unused]] auto own_kernel = [&](int64_t out_features, auto&& kernel) {
    auto input = x.reshape({input_rows, x.size(-1)}).contiguous();
    auto y = at::empty({input_rows, out_features}, at::kFloat);
    kernel(input.data_ptr<float>(), y.data_ptr<float>());
    auto shape = x.sizes().vec();
    shape.back() = out_features;
    return y.view(shape);
  };
  // int8_bfloat16 computes with bfloat16 from its widened int8 weights
  // above a few rows, by definition of the type; below, and at every row
  // count in int8, oneDNN's int8 product on the prepacked weights was the
  // fastest path measured (tests' "[int8_shapes]": 1 to 512 rows, the
  // 600M shapes).
#if PARLEY_WITH_DNNL
  if (dnnl_int8_
      && (!bf16_weight_.defined() || input_rows <= int8_gemm_max_rows))
    return own_kernel(int8_rows_.size(0), [&](const float* in, float* out) {
      dnnl_int8_->apply(in, bias, out, input_rows);
    });
#endif
  if (bf16_weight_.defined()) {
    // oneDNN runs bfloat16 products (AVX512_BF16 or AMX) and accumulates in
    // float32; the bias is added in float32 after the product.
    auto y = at::linear(x.to(at::kBFloat16), bf16_weight_).to(at::kFloat);
    return bias_.defined() ? y.add_(bias_) : y;
  }
  if (one_row) {
    // One row (batch-1 decoding): a matrix-vector product streams W at close
    // to memory bandwidth, where the general matrix product reaches a third
    // of it (measured: 28.8 against 9.6 GB/s on the 256206x1024 LM head).
    auto y = at::mv(weight_, x.reshape(-1));
    if (bias_.defined())
      y = y + bias_;
    auto shape = x.sizes().vec();
    shape.back() = weight_.size(0);
    return y.view(shape);
  }
#if PARLEY_WITH_DNNL
  if (packed_float_)
    return own_kernel(weight_.size(0), [&](const float* in, float* out) {
      packed_float_->apply(in, bias, out, input_rows);
    });
#endif
  return at::linear(x, weight_, bias_);
}

int64_t linear_layer::weight_bytes() const {
  if (dnnl_int8_)
    return packed_bytes_;
  if (bf16_weight_.defined())
    return bf16_weight_.numel() * 2
           + (bias_.defined() ? bias_.numel() * bias_.element_size() : 0);
  return weight_.numel() * weight_.element_size()
         + (bias_.defined() ? bias_.numel() * bias_.element_size() : 0);
}

const char* select_quantized_engine() {
  auto& context = at::globalContext();
  const auto& engines = context.supportedQEngines();
  auto offers = [&](at::QEngine engine) {
    return std::find(engines.begin(), engines.end(), engine) != engines.end();
  };
  if (offers(at::QEngine::ONEDNN)) {
    context.setQEngine(at::QEngine::ONEDNN);
    return "onednn";
  }
  if (offers(at::QEngine::FBGEMM)) {
    context.setQEngine(at::QEngine::FBGEMM);
    return "fbgemm";
  }
  if (offers(at::QEngine::QNNPACK)) {
    context.setQEngine(at::QEngine::QNNPACK);
    return "qnnpack";
  }
  throw std::runtime_error("this libtorch build has no quantized engine");
}

} // namespace parley::nllb

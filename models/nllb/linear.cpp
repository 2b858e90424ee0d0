#include "models/nllb/linear.hpp"

#include <ATen/core/dispatch/Dispatcher.h>

namespace parley::nllb {

namespace {

using packed_params = c10::intrusive_ptr<LinearPackedParamsBase>;

packed_params prepack(const at::Tensor& weight, const at::Tensor& bias) {
  static auto op = c10::Dispatcher::singleton()
                     .findSchemaOrThrow("quantized::linear_prepack", "")
                     .typed<packed_params(at::Tensor, c10::optional<at::Tensor>)>();
  // Symmetric int8 per output channel: one scale per row of W.
  auto scales = (weight.abs().amax(/*dim=*/1).to(at::kDouble) / 127.0)
                  .clamp_min(1e-12);
  auto zero_points = at::zeros({weight.size(0)}, at::kLong);
  auto q = at::quantize_per_channel(weight.contiguous(), scales, zero_points,
                                    /*axis=*/0, at::kQInt8);
  return op.call(q, bias.defined() ? c10::optional<at::Tensor>(bias)
                                   : c10::nullopt);
}

} // namespace

linear_layer::linear_layer(at::Tensor weight, at::Tensor bias)
  : weight_(std::move(weight)), bias_(std::move(bias)) {
}

void linear_layer::quantize(bool keep_float) {
  packed_ = prepack(weight_, bias_);
  packed_bytes_ = weight_.numel() + weight_.size(0) * 8;
  if (!keep_float)
    weight_ = at::Tensor();
}

at::Tensor linear_layer::operator()(const at::Tensor& x) const {
  if (packed_)
    return packed_->apply_dynamic(x.contiguous(), /*reduce_range=*/false);
  return at::linear(x, weight_, bias_);
}

int64_t linear_layer::weight_bytes() const {
  if (packed_)
    return packed_bytes_;
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

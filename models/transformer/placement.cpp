#include "models/transformer/placement.hpp"

#include <stdexcept>

#include <ATen/Context.h>
#include <torch/cuda.h>

namespace parley::transformer {

at::ScalarType placement::activations() const {
  if (on_cpu())
    return at::kFloat;
  switch (type) {
  case compute_type::float16:
    return at::kHalf;
  case compute_type::bfloat16:
    return at::kBFloat16;
  default:
    return at::kFloat;
  }
}

at::Tensor placement::place(const at::Tensor& t) const {
  if (on_cpu() || !t.defined())
    return t;
  return t.to(device, activations()).contiguous();
}

at::TensorOptions placement::activation_options() const {
  return at::TensorOptions().device(device).dtype(activations());
}

at::TensorOptions placement::id_options() const {
  return at::TensorOptions().device(device).dtype(at::kLong);
}

std::string placement::describe() const {
  return std::string{to_string(type)} + " on " + device.str();
}

int cuda_device_count() {
  // 0 in a CPU-only libtorch, without asking a driver.
  return static_cast<int>(torch::cuda::device_count());
}

device_choice choose_device(const device_request& request, int cuda_devices) {
  using kind = device_request::kind;
  switch (request.what) {
  case kind::cpu:
    return {c10::Device{c10::kCPU}, "requested"};
  case kind::automatic:
    if (cuda_devices > 0)
      return {c10::Device{c10::kCUDA, 0}, "auto: libtorch sees "
                                              + std::to_string(cuda_devices)
                                              + " CUDA device(s)"};
    return {c10::Device{c10::kCPU},
            "auto: this libtorch sees no CUDA device, so the CPU"};
  case kind::cuda:
    if (request.index < cuda_devices)
      return {
          c10::Device{c10::kCUDA, static_cast<c10::DeviceIndex>(request.index)},
          "requested"};
    throw std::invalid_argument(
        "device " + request.to_string() + " needs CUDA, but "
        + (cuda_devices == 0
               ? std::string{"this libtorch sees no CUDA device (a CPU-only "
                             "build, or no GPU visible)"}
               : "libtorch sees only " + std::to_string(cuda_devices)
                     + " CUDA device(s)"));
  }
  throw std::invalid_argument("device: unknown request");
}

void prepare_device(const c10::Device& device) {
  if (device.is_cpu())
    return;
  auto& context = at::globalContext();
  context.setAllowTF32CuBLAS(false);
  context.setAllowTF32CuDNN(false);
}

} // namespace parley::transformer

#pragma once

// Where a model runs: its device and the compute type of its products, and
// what follows from the pair (the activations' type, where tensors go).

#include <string>

#include <ATen/ATen.h>

#include "models/transformer/compute_type.hpp"
#include "models/transformer/device.hpp"

namespace parley::transformer {

struct placement {
  compute_type type = compute_type::float32;
  c10::Device device{c10::kCPU};

  bool on_cpu() const {
    return device.is_cpu();
  }

  /// The type of the residual stream and the products' inputs. On the CPU it
  /// is float32 whatever the compute type (the Linear layers convert at their
  /// inputs); on a GPU the whole model runs in its compute type, as eager
  /// PyTorch does, and libtorch's CUDA layer norm and softmax accumulate in
  /// float32.
  at::ScalarType activations() const;

  /// `t` (a float weight: norm, embedding, positions, convolution) where and
  /// as the layers read it; unchanged on the CPU.
  at::Tensor place(const at::Tensor& t) const;

  /// Options for new activation tensors (masks) and for ids on the device.
  at::TensorOptions activation_options() const;
  at::TensorOptions id_options() const;

  /// "float16 on cuda:0", for logs and benchmark rows.
  std::string describe() const;
};

/// CUDA devices this libtorch sees: 0 in a CPU-only build.
int cuda_device_count();

/// What a `device` request resolves to, and why.
struct device_choice {
  c10::Device device{c10::kCPU};
  std::string reason;
};

/// Resolves `request` given how many CUDA devices libtorch sees: "auto" takes
/// cuda:0 when there is one and the CPU otherwise; "cuda:N" needs device N.
/// Throws std::invalid_argument saying what is missing; it never falls back.
device_choice choose_device(const device_request& request, int cuda_devices);

/// Sets libtorch for `device` once per process: TF32 off on CUDA, so that
/// float32 products keep the CPU's tolerances.
void prepare_device(const c10::Device& device);

} // namespace parley::transformer

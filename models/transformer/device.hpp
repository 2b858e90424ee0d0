#pragma once

// The `device` option of the neural kinds: where a model's weights, caches
// and products live. Torch-free: configuration checks parse it, and
// torch_device.hpp resolves it against the libtorch this process runs.

#include <optional>
#include <string>

namespace parley::transformer {

/// A parsed `device` value.
struct device_request {
  enum class kind {
    /// "cpu"
    cpu,
    /// "cuda" (device 0) or "cuda:N"
    cuda,
    /// "auto": CUDA when libtorch sees a device, the CPU otherwise.
    automatic,
  };
  kind what = kind::cpu;
  /// The CUDA device's index ("cuda" is 0).
  int index = 0;

  /// "cpu", "cuda:N" or "auto".
  std::string to_string() const;
};

/// Parses "cpu", "cuda", "cuda:N" (N a device index) or "auto"; nullopt for
/// anything else.
std::optional<device_request> parse_device(const std::string& value);

/// The values `device` takes, for error messages and the option's help.
inline constexpr const char* device_values = "cpu, cuda, cuda:N or auto";

} // namespace parley::transformer

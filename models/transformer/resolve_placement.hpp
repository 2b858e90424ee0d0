#pragma once

// The `compute_type`, `quantize` and `device` options of the neural kinds,
// resolved for this process and logged.

#include <string>

#include "models/transformer/device_check.hpp"
#include "models/transformer/placement.hpp"

namespace parley::transformer {

/// As `choose_compute_type` on this CPU, with the backends' legacy
/// `quantize` option ("none" or "int8") folded in, and the choice logged
/// (a warning when it fell back). `who` names the model in the log.
compute_type resolve_compute_type(const std::string& who,
                                  const std::string& requested,
                                  const std::string& quantize);

/// Resolves a model's `device` and `compute_type` options (with the legacy
/// `quantize` folded in) and logs the choice; `who` names the model. Throws
/// std::invalid_argument naming `who` when the device is missing (a CUDA
/// request where libtorch sees none: never a silent CPU fallback), or the
/// type cannot run there (int8 on CUDA).
placement resolve_placement(const std::string& who, const std::string& device,
                            const std::string& requested,
                            const std::string& quantize);

} // namespace parley::transformer

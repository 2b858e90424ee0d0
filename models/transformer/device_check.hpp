#pragma once

// Checks of a `device` option against the libtorch of this process, for
// configuration checks outside models' libtorch code. Torch-free header.

#include <string>

namespace parley::transformer {

/// Checks that a `device` option value can be served here, without loading
/// anything: throws std::invalid_argument naming `who` when the value is
/// malformed or names a CUDA device libtorch does not see.
void require_device(const std::string& who, const std::string& device);

/// Whether `device` resolves to a CUDA device here (false when it does not
/// resolve at all).
bool runs_on_cuda(const std::string& device);

} // namespace parley::transformer

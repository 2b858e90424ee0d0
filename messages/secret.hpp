#pragma once

#include <string_view>

namespace parley {

/// True when the two secrets (cluster and admin tokens, API keys) are equal.
/// It reads every byte of the longer one whatever they hold, so the time it
/// takes tells a caller nothing about how much of a guess was right.
bool secrets_equal(std::string_view given, std::string_view expected);

} // namespace parley

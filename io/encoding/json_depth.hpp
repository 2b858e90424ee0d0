#pragma once

#include <cstddef>
#include <string_view>

namespace parley {

/// Whether the JSON text `text` nests arrays and objects no deeper than
/// `limit`. It only counts brackets outside strings, without parsing, so it
/// is safe on any input and runs before any parser or recursive walk: a
/// message nested 100,000 levels deep must never reach one.
bool json_depth_within(std::string_view text, size_t limit);

/// The nesting limit of every JSON document Parley reads from a client.
constexpr size_t max_json_depth = 64;

} // namespace parley

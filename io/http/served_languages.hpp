#pragma once

#include <map>
#include <set>
#include <string>

#include "messages/fwd.hpp"

namespace parley {

/// The target languages of every source language, over the translation
/// models loaded now, for the public APIs' language lists. A model that
/// translates any pair among its languages lists every other one as a
/// target.
std::map<std::string, std::set<std::string>>
targets_by_source(const server_status& status);

/// `text` with ASCII letters lowered: language codes come in any case.
std::string ascii_lower(std::string text);

/// `text` with ASCII letters raised, as DeepL spells codes.
std::string ascii_upper(std::string text);

} // namespace parley

#pragma once

#include <string>

namespace parley {

/// The English and native names of a language, for `voice_languages`.
struct language_name {
  std::string name;
  std::string native_name;
};

/// Names of an ISO 639-1 code; the code itself for both when unknown.
language_name name_of_language(const std::string& code);

} // namespace parley

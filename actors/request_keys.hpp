#pragma once

// What the router and the translation handler both read off a request: how
// its source language is decided and the text it is cached under.

#include <string>

#include "messages/translation.hpp"

namespace parley {

/// True when the source language is to be detected: none given, or "auto"
/// in any letter case.
bool is_auto_source(const std::string& source);

/// The text a request is cached under. Markup changes what comes back, so a
/// marked-up text is keyed with its format and ignored tags, behind a control
/// character no chat text starts with; plain text keeps the key the service
/// Parley replaces shares in Redis.
std::string cached_text_of(const translate_request& request);

} // namespace parley

#pragma once

#include <string>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <caf/fwd.hpp>

#include "messages/fwd.hpp"
#include "messages/translation.hpp"

namespace parley {

/// The answer to one (text, target language) of `translate_texts`.
struct text_outcome {
  /// Set when it failed; `result` is empty then.
  caf::error failure;
  translation result;
};

/// One request per text, from `source` (or "auto") to `target`, written in
/// `markup`, with `hints` for detecting an "auto" source, or the error of
/// the first text too long or not UTF-8.
caf::expected<std::vector<translate_request>>
requests_for(const std::vector<std::string>& texts, const std::string& source,
             const std::string& target, const text_markup& markup,
             size_t max_text_chars, const std::vector<std::string>& hints = {});

/// The languages of an `Accept-Language` header, most preferred first
/// (`fr-CH, fr;q=0.9, *;q=0.5` → fr-CH, fr): what the clients of the public
/// APIs tell of their user, used as hints when the source is "auto".
std::vector<std::string> accept_language_hints(const std::string& header);

/// Sends every request to `router` at once, so that the model's pool can
/// batch them, and waits for all of them; outcome i answers request i's first
/// target language. Each request needs one target. The router answers every
/// request by its own deadline, so this never waits longer. Blocks the
/// calling (HTTP) thread; ids are assigned here.
std::vector<text_outcome>
translate_texts(caf::actor_system& sys, const router_actor& router,
                std::vector<translate_request> requests);

} // namespace parley

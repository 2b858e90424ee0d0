#pragma once

// The conversation memory that fronts share (see docs/redis.md): per
// conversation and per sender, the languages recently detected, most recent
// first, under `parley:lang:c:{id}` and `parley:lang:s:{id}`. Read on the
// lookup connection, written on the write connection, with the tier's
// deadlines and failure handling.

#include <string>

#include <caf/typed_response_promise.hpp>

#include "io/redis/redis_tier_state.hpp"
#include "messages/detection.hpp"

namespace parley::tier {

/// Reads the languages of both keys in one lookup and answers them to
/// `promise`: nothing for a key Redis does not hold, or holds something else
/// under, and nothing at all when Redis does not answer in time or is down.
void recall_languages(tier_pointer self, const conversation_keys& keys,
                      caf::typed_response_promise<language_history> promise);

/// Puts `language` in front of each key's list, in the background; a
/// language that is not a language tag is dropped.
void remember_language(tier_pointer self, const conversation_keys& keys,
                       const std::string& language);

} // namespace parley::tier

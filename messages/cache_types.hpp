#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "messages/fwd.hpp"

namespace parley {

/// Identifies one cached translation.
struct cache_key {
  std::string model;
  std::string source_lang;
  std::string target_lang;
  std::string text;
};

/// A translated text as the cache stores it.
struct cached_text {
  std::string text;
  std::vector<std::string> route;
};

/// Asks for one text in several target languages at once.
struct cache_query {
  std::string model;
  std::string source_lang;
  std::string text;
  std::vector<std::string> target_langs;
  /// The model type as the request named it (`basic`, `premium`, ...): the
  /// shared tier keys on it, as the service Parley replaces did.
  std::string model_type;
};

/// A request the cache answers whole, or not at all (actors/cache): when
/// every target of `query` is in the local tier, the cache sends each
/// `translation` and then `translation_done` straight to `sink` and replies
/// true; otherwise it sends nothing, counts nothing, and replies false.
struct direct_lookup {
  cache_query query;
  uint64_t request_id = 0;
  /// The targets of `query` as the caller spelled them, in the same order.
  std::vector<std::string> spelled_targets;
  translation_sink sink;
};

/// What the cache says about one target language of a query.
enum class slot_state : uint8_t {
  /// `value` holds the translation.
  hit = 0,
  /// Nobody computes it yet: the asker must compute it and then `store` or
  /// `abandon` it.
  lead = 1,
  /// Another request computes it: the asker gets a `fill` message later.
  wait = 2,
};

struct cache_slot {
  std::string target_lang;
  slot_state state = slot_state::lead;
  cached_text value;
};

/// One slot per target language of the query, in order.
struct cache_answer {
  std::vector<cache_slot> slots;
};

/// A computed translation handed to the cache by the request that led it.
struct cache_fill {
  cache_key key;
  cached_text value;
};

/// Identifies a translation in the shared tier: the fields the service
/// Parley replaces hashed into its key.
struct tier_text_key {
  std::string model_type;
  std::string source_lang;
  std::string target_lang;
  std::string text;
};

/// What the shared tier says about one translation: `found` with its value,
/// or not found, in which case the asker computes it and then stores or
/// abandons it.
struct tier_text_answer {
  bool found = false;
  cached_text value;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, tier_text_key& x) {
  return f(caf::meta::type_name("tier_text_key"), x.model_type, x.source_lang,
           x.target_lang, x.text);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, tier_text_answer& x) {
  return f(caf::meta::type_name("tier_text_answer"), x.found, x.value);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cache_key& x) {
  return f(caf::meta::type_name("cache_key"), x.model, x.source_lang,
           x.target_lang, x.text);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cached_text& x) {
  return f(caf::meta::type_name("cached_text"), x.text, x.route);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cache_query& x) {
  return f(caf::meta::type_name("cache_query"), x.model, x.source_lang, x.text,
           x.target_langs, x.model_type);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, direct_lookup& x) {
  return f(caf::meta::type_name("direct_lookup"), x.query, x.request_id,
           x.spelled_targets, x.sink);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cache_slot& x) {
  return f(caf::meta::type_name("cache_slot"), x.target_lang, x.state, x.value);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cache_answer& x) {
  return f(caf::meta::type_name("cache_answer"), x.slots);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cache_fill& x) {
  return f(caf::meta::type_name("cache_fill"), x.key, x.value);
}

} // namespace parley

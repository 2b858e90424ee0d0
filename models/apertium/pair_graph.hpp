#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/backend.hpp"

/// Language codes and pivot routing over the installed Apertium pairs. Pure
/// code.
namespace parley::apertium {

/// Maps an ISO 639-2/3 code as Apertium names languages (`eng`, `spa`) to
/// ISO 639-1 (`en`, `es`). Two-letter codes map to themselves; unmapped
/// codes stay as they are. The input must be lowercase.
std::string to_iso639_1(std::string_view code);

/// Normalizes a requested language: lowercase, primary subtag only (`pt-BR`,
/// `pt_br` → `pt`), three-letter codes mapped by `to_iso639_1`.
std::string normalize_language(std::string_view code);

/// The request codes a language of a mode name serves: Apertium's `hbs`
/// (Serbo-Croatian, Latin script) serves `hr`, `bs` and `sr`; any other
/// language only itself.
std::vector<std::string> served_codes(const std::string& language);

/// Splits a mode name of the form `^[a-z]{2,3}-[a-z]{2,3}$` into its ISO
/// 639-1 source and target; returns nothing for variants such as
/// `cat-eng_US` or `eco-es-fr`.
std::optional<std::pair<std::string, std::string>>
parse_mode_name(std::string_view mode);

/// The source languages (ISO 639-1) of the pairs whose mode files lie in
/// `modes_dir`, without starting Apertium: what `parley detect` takes as
/// the embedded default's served languages. Empty when the folder cannot
/// be read.
std::vector<std::string>
installed_source_languages(const std::string& modes_dir);

/// A directed graph of the direct pairs, for finding pivot routes.
class pair_graph {
public:
  /// Adds the direct pair `source` → `target` (ISO codes) served by `mode`.
  /// Returns false and changes nothing when that pair already has a mode.
  bool add_pair(const std::string& source, const std::string& target,
                const std::string& mode);

  /// Returns the mode of the direct pair, or nothing.
  std::optional<std::string> mode(const std::string& source,
                                  const std::string& target) const;

  /// Returns true when `language` is the source or target of some pair.
  bool knows(const std::string& language) const;

  /// Returns a shortest route from `source` to `target` (languages visited,
  /// both ends included) using at most `max_hops` pairs, or nothing. Ties
  /// go to the alphabetically smallest pivots, so routes are deterministic.
  std::optional<std::vector<std::string>> route(const std::string& source,
                                                const std::string& target,
                                                size_t max_hops) const;

  /// Returns every pair of distinct languages with a route of at most
  /// `max_hops` pairs, sorted by source then target.
  std::vector<language_route> all_routes(size_t max_hops) const;

private:
  /// source → (target → mode); ordered maps make the search deterministic.
  std::map<std::string, std::map<std::string, std::string>> edges_;
};

} // namespace parley::apertium

#pragma once

#include <map>
#include <string>
#include <vector>

namespace parley::speech {

/// One language a voice speaks. A lower priority means a better match.
struct voice_language {
  std::string code;
  int priority = 0;
};

/// An installed espeak-ng voice, as espeak_ListVoices describes it.
struct voice_entry {
  /// The file under espeak-ng-data/voices, e.g. "roa/es"; espeak accepts it
  /// as a voice name.
  std::string identifier;
  std::vector<voice_language> languages;
};

/// Splits espeak's `languages` field: pairs of (priority byte, NUL-terminated
/// code), ended by a zero byte. Codes are lowercased.
std::vector<voice_language> parse_voice_languages(const char* field);

/// The ISO 639-1 code of an espeak language code ("en-gb" gives "en"), or
/// an empty string for a code without one ("yue", "chr-us-qaaa-x-west").
std::string iso639_1_of(const std::string& code);

/// Chooses a voice per language from an installed set.
class voice_table {
public:
  explicit voice_table(const std::vector<voice_entry>& voices);

  /// The identifier of the best voice for `language`: an exact code
  /// ("pt-br", "es") wins, else its primary subtag ("en-au" finds "en");
  /// case does not matter. Empty when no voice speaks it.
  std::string voice_for(const std::string& language) const;

  /// The ISO 639-1 codes spoken by some voice, sorted.
  std::vector<std::string> iso_languages() const;

private:
  struct choice {
    std::string identifier;
    int priority = 0;
  };
  std::map<std::string, choice> by_code_;
};

} // namespace parley::speech

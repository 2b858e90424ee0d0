#include "models/speech/espeak_voices.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace parley::speech {

namespace {

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return text;
}

} // namespace

std::vector<voice_language> parse_voice_languages(const char* field) {
  std::vector<voice_language> result;
  if (field == nullptr)
    return result;
  while (*field != 0) {
    int priority = static_cast<unsigned char>(*field++);
    std::string code{field};
    field += code.size() + 1;
    if (!code.empty())
      result.push_back({lowercase(code), priority});
  }
  return result;
}

std::string iso639_1_of(const std::string& code) {
  auto primary = lowercase(code.substr(0, code.find('-')));
  bool letters = std::all_of(primary.begin(), primary.end(),
                             [](unsigned char c) { return std::isalpha(c); });
  return primary.size() == 2 && letters ? primary : std::string{};
}

voice_table::voice_table(const std::vector<voice_entry>& voices) {
  for (const auto& voice : voices)
    for (const auto& language : voice.languages) {
      auto i = by_code_.find(language.code);
      // Ties keep espeak's listing order, which puts the main voice first.
      if (i == by_code_.end() || language.priority < i->second.priority)
        by_code_[language.code] = {voice.identifier, language.priority};
    }
}

std::string voice_table::voice_for(const std::string& language) const {
  auto code = lowercase(language);
  std::replace(code.begin(), code.end(), '_', '-');
  if (auto i = by_code_.find(code); i != by_code_.end())
    return i->second.identifier;
  auto primary = code.substr(0, code.find('-'));
  if (auto i = by_code_.find(primary); i != by_code_.end())
    return i->second.identifier;
  return {};
}

std::vector<std::string> voice_table::iso_languages() const {
  std::vector<std::string> result;
  for (const auto& entry : by_code_)
    if (auto iso = iso639_1_of(entry.first);
        !iso.empty() && by_code_.count(iso) > 0)
      result.push_back(iso);
  std::sort(result.begin(), result.end());
  result.erase(std::unique(result.begin(), result.end()), result.end());
  return result;
}

} // namespace parley::speech

#include "models/apertium/pair_graph.hpp"

#include <cctype>
#include <deque>
#include <filesystem>
#include <set>
#include <unordered_map>

namespace parley::apertium {

namespace {

// ISO 639-2 (terminological and bibliographic) and 639-3 codes used by
// Apertium pairs, with their ISO 639-1 equivalent.
const std::unordered_map<std::string_view, std::string_view> iso639_1 = {
    {"afr", "af"}, {"alb", "sq"}, {"amh", "am"}, {"ara", "ar"}, {"arg", "an"},
    {"arm", "hy"}, {"aze", "az"}, {"bak", "ba"}, {"baq", "eu"}, {"bel", "be"},
    {"ben", "bn"}, {"bos", "bs"}, {"bre", "br"}, {"bul", "bg"}, {"cat", "ca"},
    {"ces", "cs"}, {"chi", "zh"}, {"chv", "cv"}, {"cos", "co"}, {"cym", "cy"},
    {"cze", "cs"}, {"dan", "da"}, {"deu", "de"}, {"dut", "nl"}, {"ell", "el"},
    {"eng", "en"}, {"epo", "eo"}, {"est", "et"}, {"eus", "eu"}, {"fao", "fo"},
    {"fas", "fa"}, {"fin", "fi"}, {"fra", "fr"}, {"fre", "fr"}, {"fry", "fy"},
    {"geo", "ka"}, {"ger", "de"}, {"gla", "gd"}, {"gle", "ga"}, {"glg", "gl"},
    {"glv", "gv"}, {"gre", "el"}, {"grn", "gn"}, {"hat", "ht"}, {"heb", "he"},
    {"hin", "hi"}, {"hrv", "hr"}, {"hun", "hu"}, {"hye", "hy"}, {"ice", "is"},
    {"ind", "id"}, {"isl", "is"}, {"ita", "it"}, {"jpn", "ja"}, {"kat", "ka"},
    {"kaz", "kk"}, {"kir", "ky"}, {"kor", "ko"}, {"kur", "ku"}, {"lat", "la"},
    {"lav", "lv"}, {"lit", "lt"}, {"ltz", "lb"}, {"mac", "mk"}, {"mar", "mr"},
    {"may", "ms"}, {"mkd", "mk"}, {"mlt", "mt"}, {"mon", "mn"}, {"msa", "ms"},
    {"nld", "nl"}, {"nno", "nn"}, {"nob", "nb"}, {"nor", "nb"}, {"oci", "oc"},
    {"per", "fa"}, {"pes", "fa"}, {"pol", "pl"}, {"por", "pt"}, {"que", "qu"},
    {"roh", "rm"}, {"ron", "ro"}, {"rum", "ro"}, {"rus", "ru"}, {"sme", "se"},
    {"slk", "sk"}, {"slo", "sk"}, {"slv", "sl"}, {"som", "so"}, {"spa", "es"},
    {"sqi", "sq"}, {"srd", "sc"}, {"srp", "sr"}, {"swa", "sw"}, {"swe", "sv"},
    {"tat", "tt"}, {"tgk", "tg"}, {"tgl", "tl"}, {"tuk", "tk"}, {"tur", "tr"},
    {"uig", "ug"}, {"ukr", "uk"}, {"urd", "ur"}, {"uzb", "uz"}, {"vie", "vi"},
    {"wel", "cy"}, {"zho", "zh"},
};

bool is_code(std::string_view text) {
  if (text.size() < 2 || text.size() > 3)
    return false;
  for (auto c : text)
    if (c < 'a' || c > 'z')
      return false;
  return true;
}

} // namespace

std::string to_iso639_1(std::string_view code) {
  auto i = iso639_1.find(code);
  return std::string{i == iso639_1.end() ? code : i->second};
}

std::string normalize_language(std::string_view code) {
  auto primary = code.substr(0, code.find_first_of("-_"));
  std::string lower;
  for (auto c : primary)
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return to_iso639_1(lower);
}

std::vector<std::string> served_codes(const std::string& language) {
  if (language == "hbs")
    return {"bs", "hr", "sr"};
  return {language};
}

std::optional<std::pair<std::string, std::string>>
parse_mode_name(std::string_view mode) {
  auto dash = mode.find('-');
  if (dash == std::string_view::npos)
    return std::nullopt;
  auto source = mode.substr(0, dash);
  auto target = mode.substr(dash + 1);
  if (!is_code(source) || !is_code(target))
    return std::nullopt;
  return std::make_pair(to_iso639_1(source), to_iso639_1(target));
}

bool pair_graph::add_pair(const std::string& source, const std::string& target,
                          const std::string& mode) {
  return edges_[source].emplace(target, mode).second;
}

std::optional<std::string> pair_graph::mode(const std::string& source,
                                            const std::string& target) const {
  auto from = edges_.find(source);
  if (from == edges_.end())
    return std::nullopt;
  auto to = from->second.find(target);
  if (to == from->second.end())
    return std::nullopt;
  return to->second;
}

bool pair_graph::knows(const std::string& language) const {
  if (edges_.count(language) > 0)
    return true;
  for (const auto& [source, targets] : edges_)
    if (targets.count(language) > 0)
      return true;
  return false;
}

std::optional<std::vector<std::string>>
pair_graph::route(const std::string& source, const std::string& target,
                  size_t max_hops) const {
  // Breadth-first search; the first visit of a language comes from the
  // alphabetically smallest predecessor on a shortest route.
  std::map<std::string, std::string> previous{{source, ""}};
  std::deque<std::pair<std::string, size_t>> queue{{source, 0}};
  while (!queue.empty()) {
    auto [language, hops] = queue.front();
    queue.pop_front();
    if (language == target) {
      std::vector<std::string> path;
      for (auto at = target; !at.empty(); at = previous[at])
        path.insert(path.begin(), at);
      return path;
    }
    auto from = edges_.find(language);
    if (hops == max_hops || from == edges_.end())
      continue;
    for (const auto& [next, mode] : from->second)
      if (previous.emplace(next, language).second)
        queue.emplace_back(next, hops + 1);
  }
  return std::nullopt;
}

std::vector<language_route> pair_graph::all_routes(size_t max_hops) const {
  std::set<std::string> languages;
  for (const auto& [source, targets] : edges_) {
    languages.insert(source);
    for (const auto& [target, mode] : targets)
      languages.insert(target);
  }
  std::vector<language_route> result;
  for (const auto& source : languages)
    for (const auto& target : languages)
      if (source != target)
        if (auto path = route(source, target, max_hops))
          result.push_back({source, target, std::move(*path)});
  return result;
}

std::vector<std::string>
installed_source_languages(const std::string& modes_dir) {
  std::set<std::string> languages;
  std::error_code error;
  for (const auto& entry :
       std::filesystem::directory_iterator(modes_dir, error)) {
    if (entry.path().extension() != ".mode")
      continue;
    if (auto pair = parse_mode_name(entry.path().stem().string()))
      for (const auto& code : served_codes(pair->first))
        languages.insert(code);
  }
  return {languages.begin(), languages.end()};
}

} // namespace parley::apertium

#include "models/detection/short_text.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "models/detection/word_folding.hpp"
#include "models/text/utf8.hpp"

namespace parley::detection {

namespace {

// The weights of the evidence. A chat word outweighs a dictionary word
// (dictionaries hold every rare form of every language); a letter outside a
// language's alphabet counts against it; priors tip texts the words cannot
// tell apart, never a text with two words of its own language.
constexpr double chat_word_weight = 2.0;
constexpr double dictionary_word_weight = 1.0;
constexpr double own_letter_weight = 0.6;
constexpr double foreign_letter_weight = -1.5;
constexpr double detector_weight = 2.5;
constexpr size_t detector_trust_letters = 30;
constexpr double first_hint_weight = 1.5;
constexpr double other_hint_weight = 0.8;
constexpr double conversation_weight = 1.5;
constexpr double sender_weight = 1.0;
constexpr double default_weight = 0.5;
constexpr double usage_weight = 0.4;

/// Chat words every language uses alike: no evidence for any.
bool is_neutral_word(std::string_view word) {
  static constexpr std::string_view neutral[] = {
      "ok",       "okay", "oki", "oky", "lol", "haha", "hahaha",
      "hahahaha", "hehe", "xd",  "wow", "omg", "ок",   "окей",
  };
  return std::find(std::begin(neutral), std::end(neutral), word)
         != std::end(neutral);
}

/// The letters beyond a–z (or the shared Cyrillic ones) each language
/// writes; a text with one of them leans to the languages that have it.
const std::map<std::string_view, std::u32string_view>& alphabets() {
  static const std::map<std::string_view, std::u32string_view> letters = {
      {"ca", U"àçéèíïòóúü·"},
      {"cs", U"áčďéěíňóřšťúůýž"},
      {"da", U"æøåé"},
      {"de", U"äöüß"},
      {"en", U""},
      {"es", U"áéíñóúü¿¡"},
      {"eu", U"ñ"},
      {"fi", U"äöå"},
      {"fr", U"àâæçéèêëîïôœùûüÿ"},
      {"gl", U"áéíñóú"},
      {"hu", U"áéíóöőúüű"},
      {"id", U""},
      {"it", U"àèéìíòóù"},
      {"nb", U"æøåé"},
      {"nl", U"éëïóöü"},
      {"pl", U"ąćęłńóśźż"},
      {"pt", U"áâãàçéêíóôõú"},
      {"ro", U"ăâîșşțţ"},
      {"sk", U"áäčďéíĺľňóôŕšťúýž"},
      {"sv", U"åäöé"},
      {"tr", U"çğıİöşüâî"},
      {"vi", U"àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợ"
             U"ùúủũụưừứửữựỳýỷỹỵ"},
      // Cyrillic: only the letters that tell these languages apart.
      {"ru", U"ёыэъ"},
      {"uk", U"іїєґ'"},
      {"be", U"ўіё'"},
      {"bg", U"ъ"},
      {"sr", U"ђјљњћџ"},
      {"mk", U"ѓѕјљњќџ"},
  };
  return letters;
}

/// Letters that count as evidence: beyond ASCII for the Latin script, the
/// distinguishing ones for Cyrillic, plus Spanish's inverted marks.
bool is_telling_letter(char32_t c) {
  if (c == U'¿' || c == U'¡' || c == U'·')
    return true;
  if (c >= 0x00C0 && c <= 0x024F && c != 0x00D7 && c != 0x00F7)
    return true;
  if (c >= 0x1EA0 && c <= 0x1EF9)
    return true;
  static const std::u32string_view cyrillic = U"ёыэъіїєґўђјљњћџѓѕќ";
  return cyrillic.find(c) != std::u32string_view::npos;
}

/// The telling letters of a text, lowercase, each once.
std::u32string telling_letters(std::string_view text) {
  std::u32string letters;
  for (size_t pos = 0; pos < text.size();) {
    auto point = utf8::decode(text, pos);
    pos += point.length;
    auto c = lowercase(point.value);
    if (is_telling_letter(c) && letters.find(c) == std::u32string::npos)
      letters += c;
  }
  return letters;
}

double letter_evidence(std::string_view language,
                       const std::u32string& letters) {
  if (letters.empty())
    return 0;
  auto known = alphabets().find(language);
  if (known == alphabets().end())
    return 0; // a language without a listed alphabet is not judged by it
  double score = 0;
  for (auto c : letters) {
    bool cyrillic_letter = c >= 0x0400 && c <= 0x04FF;
    bool cyrillic_language = script_of_language(language) == "Cyrillic";
    if (cyrillic_letter != cyrillic_language)
      continue; // the script gate has judged it already
    score += known->second.find(c) != std::u32string_view::npos
                 ? own_letter_weight
                 : foreign_letter_weight;
  }
  return score;
}

/// Whether `letter` is written by `language`: its listed alphabet has it,
/// or no alphabet is listed for it.
bool writes(std::string_view language, char32_t letter) {
  auto known = alphabets().find(language);
  return known == alphabets().end()
         || known->second.find(letter) != std::u32string_view::npos;
}

double share_of(const std::vector<std::string>& history,
                const std::string& language) {
  if (history.empty())
    return 0;
  auto same = std::count(history.begin(), history.end(), language);
  return static_cast<double>(same) / static_cast<double>(history.size());
}

std::string primary_of(const std::string& tag) {
  return tag.substr(0, tag.find('-'));
}

/// The prior of `language`, and which kind of prior weighed most on it.
std::pair<double, prior_kind> prior_of(const std::string& language,
                                       const detection_priors& priors) {
  double hint = 0;
  double conversation = 0;
  double fallback = 0;
  if (priors.context != nullptr) {
    const auto& context = *priors.context;
    for (size_t i = 0; i < context.hints.size(); ++i)
      if (primary_of(context.hints[i]) == language)
        hint = std::max(hint, i == 0 ? first_hint_weight : other_hint_weight);
    conversation =
        conversation_weight * share_of(context.history.conversation, language)
        + sender_weight * share_of(context.history.sender, language);
  }
  if (primary_of(priors.default_language) == language)
    fallback = default_weight;
  auto total = hint + conversation + fallback;
  if (total == 0)
    return {0, prior_kind::none};
  if (hint >= conversation && hint >= fallback)
    return {total, prior_kind::hint};
  if (conversation >= fallback)
    return {total, prior_kind::conversation};
  return {total, prior_kind::configured_default};
}

} // namespace

double chat_usage(std::string_view language) {
  // Most used first, by the number of people who chat in each: an order,
  // not a measurement, that only decides between equally likely languages.
  static constexpr std::string_view order[] = {
      "en", "es", "pt", "fr", "ru", "de", "ar", "hi", "id", "tr", "ja",
      "zh", "ko", "it", "vi", "pl", "uk", "nl", "fa", "th", "ca",
  };
  constexpr double count = sizeof(order) / sizeof(*order);
  for (size_t i = 0; i < count; ++i)
    if (order[i] == language)
      return 1.0 - static_cast<double>(i) / count;
  return 0;
}

short_text_decision decide_short_text(
    const word_tables& tables, const std::vector<std::string>& candidates,
    std::string_view readable, const script_summary& script,
    const detector_answer& detector, const detection_priors& priors) {
  short_text_decision decision;
  auto words = folded_words(readable);
  words.erase(
      std::remove_if(words.begin(), words.end(),
                     [](const auto& word) { return is_neutral_word(word); }),
      words.end());
  std::vector<uint64_t> hashes;
  hashes.reserve(words.size());
  for (const auto& word : words)
    hashes.push_back(word_hash(word));
  auto letters = telling_letters(readable);
  std::vector<bool> known(words.size(), false);
  std::vector<prior_kind> kinds;
  for (const auto& language : candidates) {
    if (script.script.empty() || script_of_language(language) != script.script)
      continue;
    scored_language scored;
    scored.language = language;
    if (auto index = tables.index_of(language); index >= 0)
      for (size_t i = 0; i < words.size(); ++i) {
        // A one-letter word ("a", "e", "y") is common to many languages.
        double scale = words[i].size() > 1 ? 1.0 : 0.5;
        if (tables.is_chat_word(index, hashes[i])) {
          scored.words += scale * chat_word_weight;
        } else if (words[i].size() > 1
                   && tables.in_dictionary(index, hashes[i])) {
          scored.words += dictionary_word_weight;
        } else {
          continue;
        }
        known[i] = true;
        ++scored.known_words;
      }
    auto letter_score = letter_evidence(language, letters);
    scored.text = scored.words + letter_score;
    // CLD2 reads letter statistics; on a few words they say little, so its
    // say grows with the square of the text's length.
    double detector_trust =
        std::min(1.0, static_cast<double>(script.all_letters)
                          / static_cast<double>(detector_trust_letters));
    detector_trust *= detector_trust;
    double detector_score = 0;
    for (const auto& guess : detector.candidates)
      if (primary_of(guess.language) == language)
        detector_score = detector_weight * detector_trust * guess.confidence;
    scored.text += detector_score;
    auto [prior, kind] = prior_of(language, priors);
    scored.prior = prior;
    scored.popularity = usage_weight * chat_usage(language);
    // CLD2's crumbs on a word or two are not evidence.
    if (scored.words > 0 || letter_score > 0 || detector_score >= 0.5)
      decision.text_has_evidence = true;
    decision.ranked.push_back(std::move(scored));
    kinds.push_back(kind);
  }
  decision.known_words =
      static_cast<size_t>(std::count(known.begin(), known.end(), true));
  decision.words = words.size();
  for (auto letter : letters) {
    bool cyrillic_letter = letter >= 0x0400 && letter <= 0x04FF;
    if (cyrillic_letter != (script.script == "Cyrillic"))
      continue;
    if (std::none_of(decision.ranked.begin(), decision.ranked.end(),
                     [&](const auto& scored) {
                       return writes(scored.language, letter);
                     }))
      decision.foreign_letter = !decision.ranked.empty();
  }
  if (decision.ranked.empty())
    return decision;
  // Which the text alone would pick, before the priors are added.
  size_t by_text = 0;
  for (size_t i = 1; i < decision.ranked.size(); ++i) {
    const auto& a = decision.ranked[i];
    const auto& b = decision.ranked[by_text];
    if (a.text + a.popularity > b.text + b.popularity)
      by_text = i;
  }
  std::vector<size_t> order(decision.ranked.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return decision.ranked[a].total() > decision.ranked[b].total();
  });
  if (order.front() != by_text)
    decision.decided_by = kinds[order.front()];
  double norm = 0;
  auto best = decision.ranked[order.front()].total();
  for (auto& scored : decision.ranked) {
    scored.probability = std::exp(scored.total() - best);
    norm += scored.probability;
  }
  std::vector<scored_language> ranked;
  for (auto i : order) {
    decision.ranked[i].probability /= norm;
    ranked.push_back(std::move(decision.ranked[i]));
  }
  decision.ranked = std::move(ranked);
  return decision;
}

} // namespace parley::detection

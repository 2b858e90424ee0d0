#include "models/speech/sphinx_words.hpp"

namespace parley::speech {

std::string spoken_word(const std::string& segment_word) {
  if (segment_word.empty())
    return {};
  auto first = segment_word.front();
  if (first == '<' || first == '[' || segment_word.rfind("++", 0) == 0)
    return {};
  auto word = segment_word;
  if (word.back() == ')') {
    auto open = word.rfind('(');
    if (open != std::string::npos && open > 0)
      word.erase(open);
  }
  return word;
}

} // namespace parley::speech

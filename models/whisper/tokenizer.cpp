#include "models/whisper/tokenizer.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "models/text/utf8.hpp"

namespace parley::whisper {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr const char* replacement_character = "\xEF\xBF\xBD";

std::optional<json> read_json(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    return std::nullopt;
  std::ifstream in{path};
  if (!in)
    throw std::runtime_error("whisper tokenizer: cannot read " + path.string());
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw std::runtime_error("whisper tokenizer: " + path.string()
                             + " is not valid JSON: " + e.what());
  }
}

/// {"token": id, ...}
std::map<std::string, int64_t> read_token_map(const json& doc,
                                              const fs::path& path) {
  if (!doc.is_object())
    throw std::runtime_error("whisper tokenizer: " + path.string()
                             + " is not a JSON object of token ids");
  std::map<std::string, int64_t> out;
  for (const auto& [text, id] : doc.items()) {
    if (!id.is_number_integer() || id.get<int64_t>() < 0)
      throw std::runtime_error("whisper tokenizer: " + path.string()
                               + ": token '" + text + "' has no valid id");
    out[text] = id.get<int64_t>();
  }
  return out;
}

bool looks_special(const std::string& text) {
  return text.size() >= 4 && text.compare(0, 2, "<|") == 0
         && text.compare(text.size() - 2, 2, "|>") == 0;
}

/// <|xx|> or <|xxx|> in lower-case letters: a language code. Every other
/// control token has a longer name.
std::optional<std::string> language_code(const std::string& text) {
  if (!looks_special(text))
    return std::nullopt;
  auto code = text.substr(2, text.size() - 4);
  if (code.size() < 2 || code.size() > 3)
    return std::nullopt;
  for (char c : code)
    if (c < 'a' || c > 'z')
      return std::nullopt;
  return code;
}

/// Keeps valid UTF-8 and replaces each malformed byte by U+FFFD.
std::string valid_utf8(const std::string& bytes) {
  std::string out;
  for (size_t pos = 0; pos < bytes.size();) {
    auto c = utf8::decode(bytes, pos);
    bool malformed = c.value == 0xFFFD && c.length == 1;
    if (malformed)
      out += replacement_character;
    else
      out.append(bytes, pos, c.length);
    pos += c.length;
  }
  return out;
}

} // namespace

const std::array<char32_t, 256>& bytes_to_unicode() {
  static const std::array<char32_t, 256> table = [] {
    std::array<char32_t, 256> map{};
    // Printable Latin-1 bytes stand for themselves; the others (controls,
    // space, ...) take the code points from 256 up, in byte order.
    auto printable = [](int b) {
      return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC)
             || (b >= 0xAE && b <= 0xFF);
    };
    char32_t next = 256;
    for (int b = 0; b < 256; ++b)
      map[b] = printable(b) ? static_cast<char32_t>(b) : next++;
    return map;
  }();
  return table;
}

int unicode_to_byte(char32_t c) {
  static const std::unordered_map<char32_t, int> inverse = [] {
    std::unordered_map<char32_t, int> map;
    const auto& forward = bytes_to_unicode();
    for (int b = 0; b < 256; ++b)
      map[forward[b]] = b;
    return map;
  }();
  auto found = inverse.find(c);
  return found == inverse.end() ? -1 : found->second;
}

tokenizer tokenizer::load(const std::string& dir) {
  fs::path root{dir};
  std::map<std::string, int64_t> vocab;
  std::map<std::string, int64_t> added;
  auto tokenizer_json = read_json(root / "tokenizer.json");
  if (auto doc = read_json(root / "vocab.json")) {
    vocab = read_token_map(*doc, root / "vocab.json");
  } else if (tokenizer_json && tokenizer_json->contains("model")
             && (*tokenizer_json)["model"].contains("vocab")) {
    vocab = read_token_map((*tokenizer_json)["model"]["vocab"],
                           root / "tokenizer.json");
  } else {
    throw std::runtime_error("whisper tokenizer: " + dir
                             + " has no vocab.json and no tokenizer.json "
                               "with a vocabulary");
  }
  if (auto doc = read_json(root / "added_tokens.json"))
    added = read_token_map(*doc, root / "added_tokens.json");
  if (tokenizer_json && tokenizer_json->contains("added_tokens")
      && (*tokenizer_json)["added_tokens"].is_array()) {
    for (const auto& token : (*tokenizer_json)["added_tokens"]) {
      if (token.is_object() && token.contains("content")
          && token["content"].is_string() && token.contains("id")
          && token["id"].is_number_integer())
        added[token["content"].get<std::string>()] = token["id"].get<int64_t>();
    }
  }
  return tokenizer{vocab, added};
}

tokenizer::tokenizer(const std::map<std::string, int64_t>& vocab,
                     const std::map<std::string, int64_t>& added) {
  for (const auto& [text, id] : vocab) {
    ids_[text] = id;
    texts_[id] = text;
    special_[id] = looks_special(text);
  }
  for (const auto& [text, id] : added) {
    ids_[text] = id;
    texts_[id] = text;
    special_[id] = true;
  }
  for (const auto& [id, text] : texts_)
    if (special_[id])
      if (auto code = language_code(text))
        languages_.emplace_back(*code, id);
  std::sort(languages_.begin(), languages_.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
}

std::string tokenizer::decode(const std::vector<int64_t>& ids) const {
  std::string bytes;
  for (auto id : ids) {
    auto text = texts_.find(id);
    if (text == texts_.end() || is_special(id))
      continue;
    const auto& token = text->second;
    for (size_t pos = 0; pos < token.size();) {
      auto c = utf8::decode(token, pos);
      auto byte = unicode_to_byte(c.value);
      if (byte >= 0)
        bytes += static_cast<char>(byte);
      else
        utf8::append(bytes, c.value);
      pos += c.length;
    }
  }
  return valid_utf8(bytes);
}

std::optional<int64_t> tokenizer::id_of(const std::string& text) const {
  auto found = ids_.find(text);
  if (found == ids_.end())
    return std::nullopt;
  return found->second;
}

const std::string* tokenizer::text_of(int64_t id) const {
  auto found = texts_.find(id);
  return found == texts_.end() ? nullptr : &found->second;
}

bool tokenizer::is_special(int64_t id) const {
  auto found = special_.find(id);
  return found != special_.end() && found->second;
}

special_tokens tokenizer::specials(int64_t vocab_size) const {
  auto id = [&](const char* text) { return id_of(text).value_or(-1); };
  special_tokens s;
  s.eot = id("<|endoftext|>");
  s.sot = id("<|startoftranscript|>");
  s.transcribe = id("<|transcribe|>");
  s.translate = id("<|translate|>");
  s.sot_lm = id("<|startoflm|>");
  s.sot_prev = id("<|startofprev|>");
  s.no_speech = id("<|nospeech|>");
  if (s.no_speech < 0)
    s.no_speech = id("<|nocaptions|>");
  s.no_timestamps = id("<|notimestamps|>");
  s.timestamp_begin = id("<|0.00|>");
  // Older vocabularies do not list the timestamps; they follow
  // <|notimestamps|> up to the end of the model's vocabulary.
  if (s.timestamp_begin < 0 && s.no_timestamps >= 0
      && s.no_timestamps + 1 < vocab_size && !text_of(s.no_timestamps + 1))
    s.timestamp_begin = s.no_timestamps + 1;
  return s;
}

std::optional<int64_t> tokenizer::language_id(const std::string& code) const {
  for (const auto& [language, id] : languages_)
    if (language == code)
      return id;
  return std::nullopt;
}

} // namespace parley::whisper

#include "models/text/language_tokens.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "models/checkpoint/nllb_codes.hpp"

namespace parley {
namespace {

using json = nlohmann::json;

bool is_fairseq_special(std::string_view token) {
  return token == "<s>" || token == "<pad>" || token == "</s>"
         || token == "<unk>" || token == "<mask>";
}

std::optional<json> read_json(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return std::nullopt;
  }
  std::ifstream in{path};
  if (!in) {
    throw std::runtime_error("nllb tokenizer: cannot read " + path.string());
  }
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw std::runtime_error("nllb tokenizer: " + path.string()
                             + " is not valid JSON: " + e.what());
  }
}

std::optional<language_tokens> from_tokenizer_json(const json& doc,
                                                   int64_t pieces) {
  auto added = doc.find("added_tokens");
  if (added == doc.end() || !added->is_array()) {
    return std::nullopt;
  }
  language_tokens out;
  std::optional<int64_t> mask;
  int64_t last_id = pieces;
  for (const auto& token : *added) {
    if (!token.is_object() || !token.contains("content")
        || !token.contains("id") || !token["content"].is_string()
        || !token["id"].is_number_integer()) {
      continue;
    }
    auto content = token["content"].get<std::string>();
    auto id = token["id"].get<int64_t>();
    last_id = std::max(last_id, id);
    if (content == "<mask>") {
      mask = id;
    } else if (looks_like_nllb_code(content)) {
      out.codes.emplace_back(content, id);
    }
  }
  if (out.codes.empty()) {
    return std::nullopt;
  }
  std::sort(out.codes.begin(), out.codes.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
  out.mask_id = mask.value_or(last_id + 1);
  return out;
}

std::optional<language_tokens> from_special_tokens_map(const json& doc,
                                                       int64_t pieces) {
  auto extra = doc.find("additional_special_tokens");
  if (extra == doc.end() || !extra->is_array()) {
    return std::nullopt;
  }
  language_tokens out;
  int64_t next_id = pieces + 1;
  for (const auto& entry : *extra) {
    std::string content;
    if (entry.is_string()) {
      content = entry.get<std::string>();
    } else if (entry.is_object() && entry.contains("content")
               && entry["content"].is_string()) {
      content = entry["content"].get<std::string>();
    } else {
      continue;
    }
    if (is_fairseq_special(content)) {
      continue;
    }
    // Every added token takes the next id, a language code or not.
    auto id = next_id++;
    if (looks_like_nllb_code(content)) {
      out.codes.emplace_back(content, id);
    }
  }
  if (out.codes.empty()) {
    return std::nullopt;
  }
  out.mask_id = next_id;
  return out;
}

} // namespace

bool looks_like_nllb_code(std::string_view text) {
  auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  return text.size() == 8 && lower(text[0]) && lower(text[1]) && lower(text[2])
         && text[3] == '_' && upper(text[4]) && lower(text[5]) && lower(text[6])
         && lower(text[7]);
}

language_tokens read_language_tokens(const std::string& dir, int64_t pieces) {
  std::filesystem::path root{dir};
  auto tokenizer_path = root / "tokenizer.json";
  if (auto doc = read_json(tokenizer_path)) {
    if (auto tokens = from_tokenizer_json(*doc, pieces)) {
      tokens->source = tokenizer_path.string();
      return *tokens;
    }
  }
  auto map_path = root / "special_tokens_map.json";
  if (auto doc = read_json(map_path)) {
    if (auto tokens = from_special_tokens_map(*doc, pieces)) {
      tokens->source = map_path.string();
      return *tokens;
    }
  }
  language_tokens out;
  int64_t next_id = pieces + 1;
  for (const auto& code : nllb_language_codes()) {
    out.codes.emplace_back(code, next_id++);
  }
  out.mask_id = next_id;
  out.source =
      "the standard " + std::to_string(out.codes.size()) + " NLLB codes";
  return out;
}

} // namespace parley

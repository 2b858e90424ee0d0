#include "models/text/nllb_tokenizer.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <unordered_set>

#include "models/text/language_tokens.hpp"
#include "models/text/sentencepiece_model.hpp"

namespace parley {
namespace {

// Hugging Face's fairseq_offset: fairseq puts <s> <pad> </s> <unk> first,
// SentencePiece puts <unk> <s> </s> first, so piece p is fairseq id p + 1.
constexpr int64_t fairseq_offset = 1;

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("nllb tokenizer: " + what);
}

void check_languages(const language_tokens& tokens, int64_t pieces,
                     int64_t vocab_size) {
  std::unordered_set<std::string> codes;
  std::unordered_set<int64_t> ids;
  for (const auto& [code, id] : tokens.codes) {
    if (id <= pieces) {
      fail(tokens.source + " places " + code + " at id " + std::to_string(id)
           + ", inside the " + std::to_string(pieces)
           + " sentencepiece pieces");
    }
    if (id >= vocab_size) {
      fail(tokens.source + " places " + code + " at id " + std::to_string(id)
           + ", beyond the model's vocabulary of " + std::to_string(vocab_size)
           + " ids (sentencepiece has " + std::to_string(pieces)
           + " pieces, so it has room for "
           + std::to_string(vocab_size - pieces - 1)
           + " language codes and <mask>); give the checkpoint a "
             "tokenizer.json or special_tokens_map.json listing its "
             "languages");
    }
    if (!codes.insert(code).second || !ids.insert(id).second) {
      fail(tokens.source + " lists " + code + " or its id " + std::to_string(id)
           + " twice");
    }
  }
}

} // namespace

nllb_tokenizer::nllb_tokenizer(const std::string& dir, int64_t vocab_size)
    : vocab_size_(vocab_size) {
  auto model_path = (std::filesystem::path{dir} / "sentencepiece.bpe.model");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(model_path, ec)) {
    fail("missing " + model_path.string());
  }
  try {
    processor_ = std::make_unique<sentencepiece_model>(model_path.string());
  } catch (const std::exception& e) {
    fail(e.what());
  }
  pieces_ = processor_->piece_size();
  if (pieces_ <= 0) {
    fail(model_path.string() + " holds no pieces");
  }
  if (pieces_ + fairseq_offset > vocab_size_) {
    fail(model_path.string() + " has " + std::to_string(pieces_)
         + " pieces, more than the model's vocabulary of "
         + std::to_string(vocab_size_) + " ids holds");
  }
  auto tokens = read_language_tokens(dir, pieces_);
  check_languages(tokens, pieces_, vocab_size_);
  bool mask_free = tokens.mask_id > pieces_ && tokens.mask_id < vocab_size_;
  for (const auto& [code, id] : tokens.codes) {
    languages_.emplace_back(code, id);
    language_ids_.emplace(code, id);
    mask_free = mask_free && id != tokens.mask_id;
  }
  if (mask_free) {
    mask_id_ = tokens.mask_id;
  }
}

nllb_tokenizer::~nllb_tokenizer() = default;
nllb_tokenizer::nllb_tokenizer(nllb_tokenizer&&) noexcept = default;
nllb_tokenizer& nllb_tokenizer::operator=(nllb_tokenizer&&) noexcept = default;

std::vector<int64_t> nllb_tokenizer::encode(std::string_view text,
                                            const std::string& nllb_code,
                                            size_t max_tokens) const {
  auto language = language_id(nllb_code);
  if (!language) {
    throw std::invalid_argument("nllb tokenizer: no language code " + nllb_code
                                + " in this checkpoint");
  }
  if (max_tokens < 2) {
    throw std::invalid_argument(
        "nllb tokenizer: max_tokens must leave room for the language and "
        "</s>");
  }
  auto pieces = processor_->encode(text);
  size_t kept = std::min(pieces.size(), max_tokens - 2);
  std::vector<int64_t> ids;
  ids.reserve(kept + 2);
  ids.push_back(*language);
  for (size_t i = 0; i < kept; ++i) {
    auto piece = pieces[i];
    ids.push_back(piece == processor_->unk_id() ? unk_id
                                                : piece + fairseq_offset);
  }
  ids.push_back(eos_id);
  return ids;
}

std::string nllb_tokenizer::decode(const std::vector<int64_t>& ids) const {
  std::vector<int32_t> pieces;
  pieces.reserve(ids.size());
  for (auto id : ids) {
    if (id <= unk_id || id > pieces_) {
      continue;
    }
    auto piece = static_cast<int32_t>(id - fairseq_offset);
    if (processor_->is_control(piece) || processor_->is_unknown(piece)) {
      continue;
    }
    pieces.push_back(piece);
  }
  return processor_->decode(pieces);
}

std::optional<int64_t>
nllb_tokenizer::language_id(const std::string& nllb_code) const {
  auto it = language_ids_.find(nllb_code);
  if (it == language_ids_.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::vector<std::string> nllb_tokenizer::languages() const {
  std::vector<std::string> out;
  out.reserve(languages_.size());
  for (const auto& entry : languages_) {
    out.push_back(entry.first);
  }
  return out;
}

int64_t nllb_tokenizer::vocab_size() const {
  return vocab_size_;
}

std::optional<int64_t> nllb_tokenizer::mask_id() const {
  return mask_id_;
}

} // namespace parley

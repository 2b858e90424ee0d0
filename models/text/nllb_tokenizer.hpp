#pragma once

// The NLLB-200 / M2M100 tokenizer: SentencePiece pieces in fairseq ids, with
// the language codes and <mask> after them, as Hugging Face's NllbTokenizer
// numbers them.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace parley {

class sentencepiece_model;

/// Turns text into the ids an NLLB model reads and ids back into text. It is
/// immutable after construction, so replicas may share one.
///
/// Ids: <s>=0, <pad>=1, </s>=2, <unk>=3; SentencePiece piece p (p >= 1) is
/// p + 1, and SentencePiece's own <unk> (0) is 3. Language code i of the
/// checkpoint's list is pieces + 1 + i unless tokenizer.json gives its id;
/// <mask> follows the last language code.
class nllb_tokenizer {
public:
  /// Loads DIR/sentencepiece.bpe.model. The language codes come from
  /// DIR/tokenizer.json (its "added_tokens" whose content looks like
  /// "xxx_Xxxx", with their ids), else DIR/special_tokens_map.json
  /// ("additional_special_tokens", in order), else the standard 202 codes.
  /// `vocab_size` is the model's (config.json). Throws std::runtime_error
  /// naming the file or the mismatch when the model file is missing or
  /// corrupt, a JSON file is malformed, or an id lands at or beyond
  /// `vocab_size`.
  nllb_tokenizer(const std::string& dir, int64_t vocab_size);
  ~nllb_tokenizer();
  nllb_tokenizer(nllb_tokenizer&&) noexcept;
  nllb_tokenizer& operator=(nllb_tokenizer&&) noexcept;

  static constexpr int64_t bos_id = 0;
  static constexpr int64_t pad_id = 1;
  static constexpr int64_t eos_id = 2;
  static constexpr int64_t unk_id = 3;

  /// `[language] pieces </s>`. Pieces beyond `max_tokens - 2` are cut so the
  /// result never exceeds `max_tokens`. The text is taken literally: a
  /// language code or "</s>" written in it is ordinary text. Throws
  /// std::invalid_argument for a language the tokenizer lacks or
  /// `max_tokens` < 2.
  std::vector<int64_t> encode(std::string_view text,
                              const std::string& nllb_code,
                              size_t max_tokens = 512) const;

  /// The text of `ids`. Every special id is dropped, as Hugging Face's
  /// decode(skip_special_tokens=True) does: <s>, <pad>, </s>, <unk>, the
  /// language codes, <mask> and ids past the pieces that name nothing.
  std::string decode(const std::vector<int64_t>& ids) const;

  /// The id of `nllb_code` ("fra_Latn"), if this checkpoint has it.
  std::optional<int64_t> language_id(const std::string& nllb_code) const;

  /// The checkpoint's language codes, in id order.
  std::vector<std::string> languages() const;

  /// The model's vocabulary size, as given at construction.
  int64_t vocab_size() const;

  /// The id of <mask>, or nullopt when the vocabulary has no room for it.
  std::optional<int64_t> mask_id() const;

private:
  std::unique_ptr<sentencepiece_model> processor_;
  int64_t vocab_size_ = 0;
  int64_t pieces_ = 0;
  std::optional<int64_t> mask_id_;
  std::vector<std::pair<std::string, int64_t>> languages_;
  std::unordered_map<std::string, int64_t> language_ids_;
};

} // namespace parley

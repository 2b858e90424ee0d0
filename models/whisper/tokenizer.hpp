#pragma once

// Whisper's byte-level BPE, for decoding: token ids to UTF-8 text, and where
// the special tokens (<|startoftranscript|>, <|en|>, <|0.00|>, ...) sit.
// Torch-free.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace parley::whisper {

/// GPT-2's `bytes_to_unicode`: the printable code point that stands for each
/// byte in vocabulary strings ('Ġ' for the space, U+0120).
const std::array<char32_t, 256>& bytes_to_unicode();

/// The byte a code point of a vocabulary string stands for, or -1.
int unicode_to_byte(char32_t c);

/// The ids of Whisper's control tokens; -1 where the vocabulary lacks one.
struct special_tokens {
  int64_t eot = -1;           // <|endoftext|>
  int64_t sot = -1;           // <|startoftranscript|>
  int64_t transcribe = -1;    // <|transcribe|>
  int64_t translate = -1;     // <|translate|>
  int64_t sot_lm = -1;        // <|startoflm|>
  int64_t sot_prev = -1;      // <|startofprev|>
  int64_t no_speech = -1;     // <|nospeech|> or <|nocaptions|>
  int64_t no_timestamps = -1; // <|notimestamps|>
  /// <|0.00|>; the token n above it is n × 20 ms.
  int64_t timestamp_begin = -1;
};

/// A Whisper vocabulary: the BPE tokens of vocab.json and the added tokens.
class tokenizer {
public:
  /// Reads `dir`/vocab.json (or tokenizer.json's model.vocab) and the added
  /// tokens of added_tokens.json and tokenizer.json's "added_tokens". Throws
  /// std::runtime_error naming the file when there is no vocabulary or a
  /// file is malformed.
  static tokenizer load(const std::string& dir);

  /// From token strings to ids: the BPE vocabulary and the added tokens.
  tokenizer(const std::map<std::string, int64_t>& vocab,
            const std::map<std::string, int64_t>& added);

  /// The UTF-8 text of `ids`. Special tokens (added tokens and any <|...|>)
  /// and unknown ids are left out; bytes that do not form UTF-8 become
  /// U+FFFD.
  std::string decode(const std::vector<int64_t>& ids) const;

  /// The id of token string `text`, or nullopt.
  std::optional<int64_t> id_of(const std::string& text) const;

  /// The token string of `id`, or nullptr.
  const std::string* text_of(int64_t id) const;

  /// True for added tokens and tokens shaped <|...|>.
  bool is_special(int64_t id) const;

  /// The control tokens, found by their text. `vocab_size` bounds the
  /// timestamp tokens when the vocabulary does not list them (they follow
  /// <|notimestamps|>).
  special_tokens specials(int64_t vocab_size) const;

  /// The language tokens (<|en|>, <|zh|>, ...) as (code, id), in id order.
  const std::vector<std::pair<std::string, int64_t>>& languages() const {
    return languages_;
  }

  /// The id of language `code` ("en"), or nullopt.
  std::optional<int64_t> language_id(const std::string& code) const;

private:
  std::unordered_map<std::string, int64_t> ids_;
  std::unordered_map<int64_t, std::string> texts_;
  std::unordered_map<int64_t, bool> special_;
  std::vector<std::pair<std::string, int64_t>> languages_;
};

} // namespace parley::whisper

#pragma once

// Where an NLLB checkpoint's language-code tokens sit in its vocabulary, read
// from the Hugging Face tokenizer files beside the SentencePiece model.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parley {

/// The language-code tokens of a checkpoint and the file they came from.
struct language_tokens {
  /// (code, id) in id order.
  std::vector<std::pair<std::string, int64_t>> codes;
  /// The id of <mask> where the source says it; otherwise the id after the
  /// last added token.
  int64_t mask_id = 0;
  /// "DIR/tokenizer.json", "DIR/special_tokens_map.json" or "the standard
  /// 202 NLLB codes", for error messages.
  std::string source;
};

/// True for strings shaped like an NLLB code: three lower-case letters, '_',
/// and a four-letter script with a capital ("zho_Hans").
bool looks_like_nllb_code(std::string_view text);

/// The language tokens of the checkpoint in `dir` whose SentencePiece model
/// has `pieces` pieces: from tokenizer.json's "added_tokens" (their own ids),
/// else special_tokens_map.json's "additional_special_tokens" (ids from
/// pieces + 1, in order), else nllb_language_codes() numbered the same way.
/// Throws std::runtime_error naming the file when a JSON file is malformed.
language_tokens read_language_tokens(const std::string& dir, int64_t pieces);

} // namespace parley

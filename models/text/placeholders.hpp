#pragma once

// Placeholders that stand in for protected spans (URLs, e-mail addresses,
// @mentions, emoji, inline code, formatted numbers) while a sentence goes
// through a translation model.
//
// The form is "[[N]]", N counting from 0 within each sentence. It is plain
// ASCII, so SentencePiece vocabularies cut it into ordinary pieces ("[", "0",
// "]") instead of <unk>; brackets and digits are what models copy through
// most faithfully; and doubled brackets almost never occur in chat text. When
// they do, the literal is itself protected, so every placeholder a model sees
// is one of ours. Models sometimes respace or widen the brackets, so matching
// also accepts spaces inside ("[[ 0 ]]", "[ [0] ]") and the fullwidth
// brackets ［ ］ that CJK outputs use.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley {

/// The placeholder for span `index` of a sentence: "[[index]]".
std::string placeholder(size_t index);

/// A placeholder found in text.
struct placeholder_match {
  size_t index = 0;
  /// One past its last byte.
  size_t end = 0;
};

/// The placeholder starting exactly at byte `pos` of `text`, in any of the
/// accepted spellings.
std::optional<placeholder_match> match_placeholder(std::string_view text,
                                                   size_t pos);

/// `translated` with each placeholder replaced by `originals[N]`. Every
/// original appears exactly once: a placeholder seen again, or one with no
/// original, is removed; an original whose placeholder was lost is appended
/// to the end, after a space.
std::string restore_placeholders(std::string_view translated,
                                 const std::vector<std::string>& originals);

} // namespace parley

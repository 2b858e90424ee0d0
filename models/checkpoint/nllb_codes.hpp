#pragma once

// The NLLB-200 language codes, in the order that gives them their token ids.

#include <string>
#include <vector>

namespace parley {

/// The 202 NLLB-200 language codes in the standard order (the Hugging Face
/// NllbTokenizer's FAIRSEQ_LANGUAGE_CODES): code i has token id
/// sentencepiece_size + 1 + i.
const std::vector<std::string>& nllb_language_codes();

} // namespace parley

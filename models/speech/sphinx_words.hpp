#pragma once

#include <string>

namespace parley::speech {

/// The spoken form of one PocketSphinx segment word: "read(2)" (an alternate
/// pronunciation) gives "read"; sentence marks (<s>, </s>), silence (<sil>)
/// and fillers ([NOISE], ++BREATH++) give an empty string.
std::string spoken_word(const std::string& segment_word);

} // namespace parley::speech

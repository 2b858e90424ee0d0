#pragma once

// Language tags of requests mapped to the NLLB-200 codes a model knows.

#include <optional>
#include <string>
#include <string_view>

namespace parley {

/// The NLLB code for a request's language tag, or nullopt when the tag names
/// no NLLB language (never a guess at a neighbour). Accepted, in any case and
/// with '-' or '_': ISO 639-1 codes ("fr"), a few ISO 639-3 and legacy codes
/// ("fra", "cmn", "iw"), NLLB codes themselves ("zho_Hans", "zho-hans"), and
/// BCP 47 script and region subtags ("zh-hant", "zh-tw", "pt-br", "fa-af").
/// A script the language has no NLLB code for ("sr-latn") gives nullopt.
std::optional<std::string> to_nllb_code(std::string_view tag);

/// The ISO 639-1 tag of an NLLB code for display ("fra_Latn" -> "fr",
/// "zho_Hant" -> "zh-Hant"), or the NLLB code itself where the language has
/// no ISO 639-1 code. to_nllb_code(to_iso_tag(c)) == c for every NLLB code.
std::string to_iso_tag(const std::string& nllb_code);

} // namespace parley

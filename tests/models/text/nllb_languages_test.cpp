#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "models/checkpoint/nllb_codes.hpp"
#include "models/text/nllb_languages.hpp"

using parley::nllb_language_codes;
using parley::to_iso_tag;
using parley::to_nllb_code;

namespace {

bool is_nllb_code(const std::string& code) {
  const auto& codes = nllb_language_codes();
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

// The pairs the issue lists, checked by hand against the FLORES-200 table.
const std::vector<std::pair<std::string, std::string>> issue_pairs = {
    {"en", "eng_Latn"}, {"fr", "fra_Latn"}, {"es", "spa_Latn"},
    {"de", "deu_Latn"}, {"pt", "por_Latn"}, {"zh", "zho_Hans"},
    {"ms", "zsm_Latn"}, {"fa", "pes_Arab"}, {"ar", "arb_Arab"},
    {"hi", "hin_Deva"}, {"bn", "ben_Beng"}, {"ru", "rus_Cyrl"},
    {"ja", "jpn_Jpan"}, {"ko", "kor_Hang"}, {"it", "ita_Latn"},
    {"tr", "tur_Latn"}, {"vi", "vie_Latn"}, {"ur", "urd_Arab"},
    {"id", "ind_Latn"}, {"sw", "swh_Latn"}, {"ta", "tam_Taml"},
    {"te", "tel_Telu"}, {"mr", "mar_Deva"}, {"pa", "pan_Guru"},
    {"gu", "guj_Gujr"}, {"kn", "kan_Knda"}, {"ml", "mal_Mlym"},
    {"th", "tha_Thai"}, {"pl", "pol_Latn"}, {"uk", "ukr_Cyrl"},
    {"nl", "nld_Latn"}, {"ro", "ron_Latn"}, {"el", "ell_Grek"},
    {"hu", "hun_Latn"}, {"cs", "ces_Latn"}, {"sv", "swe_Latn"},
    {"he", "heb_Hebr"}, {"az", "azj_Latn"}, {"uz", "uzn_Latn"},
    {"my", "mya_Mymr"}, {"am", "amh_Ethi"}, {"ha", "hau_Latn"},
    {"yo", "yor_Latn"}, {"ig", "ibo_Latn"}, {"zu", "zul_Latn"},
    {"xh", "xho_Latn"}, {"so", "som_Latn"}, {"ne", "npi_Deva"},
    {"si", "sin_Sinh"}, {"km", "khm_Khmr"}, {"tl", "tgl_Latn"},
    {"ca", "cat_Latn"}, {"fi", "fin_Latn"}, {"da", "dan_Latn"},
    {"no", "nob_Latn"}, {"nb", "nob_Latn"}, {"sk", "slk_Latn"},
    {"bg", "bul_Cyrl"}, {"hr", "hrv_Latn"}, {"sr", "srp_Cyrl"},
    {"lt", "lit_Latn"},
};

// Further widely spoken languages with an ISO 639-1 code.
const std::vector<std::string> more_iso_codes = {
    "af", "sq", "hy", "be", "bs", "my", "et", "ka", "is", "ga", "jv", "kk",
    "ky", "lo", "lv", "mk", "mn", "mt", "mi", "ps", "sl", "tg", "tt", "tk",
    "ug", "cy", "yi", "eu", "gl", "lb", "mg", "om", "rw", "sn", "st", "ti",
    "wo", "eo", "ln", "ny", "qu", "sd", "ks", "ku", "or", "as",
};

std::string lower(std::string text) {
  for (auto& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

} // namespace

TEST_CASE("the 60 most spoken ISO 639-1 codes map to their NLLB codes",
          "[models]") {
  REQUIRE(issue_pairs.size() >= 60);
  for (const auto& [iso, nllb] : issue_pairs) {
    INFO(iso);
    CHECK(is_nllb_code(nllb));
    CHECK(to_nllb_code(iso) == nllb);
  }
}

TEST_CASE("every ISO 639-1 code the table knows lands on one of the 202 codes",
          "[models]") {
  std::set<std::string> mapped;
  for (const auto& [iso, nllb] : issue_pairs) {
    mapped.insert(iso);
  }
  for (const auto& iso : more_iso_codes) {
    INFO(iso);
    auto code = to_nllb_code(iso);
    REQUIRE(code);
    CHECK(is_nllb_code(*code));
    mapped.insert(iso);
  }
  CHECK(mapped.size() >= 100);
}

TEST_CASE("region and script subtags pick the right variety", "[models]") {
  CHECK(to_nllb_code("pt-br") == "por_Latn");
  CHECK(to_nllb_code("pt-pt") == "por_Latn");
  CHECK(to_nllb_code("en-us") == "eng_Latn");
  CHECK(to_nllb_code("en-GB") == "eng_Latn");
  for (const auto* tag : {"zh-cn", "zh-hans", "zh-sg", "zh-Hans-CN", "zh_CN"}) {
    INFO(tag);
    CHECK(to_nllb_code(tag) == "zho_Hans");
  }
  for (const auto* tag : {"zh-tw", "zh-hk", "zh-hant", "zh-Hant-HK", "zh-mo"}) {
    INFO(tag);
    CHECK(to_nllb_code(tag) == "zho_Hant");
  }
  CHECK(to_nllb_code("fa-af") == "prs_Arab");
  CHECK(to_nllb_code("az-arab") == "azb_Arab");
  CHECK(to_nllb_code("ks-deva") == "kas_Deva");
  CHECK(to_nllb_code("zh-yue") == "yue_Hant");
}

TEST_CASE("a script NLLB lacks for a language is unsupported, not swapped",
          "[models]") {
  CHECK_FALSE(to_nllb_code("sr-latn"));
  CHECK_FALSE(to_nllb_code("uz-cyrl"));
  CHECK_FALSE(to_nllb_code("en-cyrl"));
  CHECK(to_nllb_code("sr-cyrl") == "srp_Cyrl");
}

TEST_CASE("NLLB codes are accepted in any case and with either separator",
          "[models]") {
  CHECK(to_nllb_code("zho-hans") == "zho_Hans");
  CHECK(to_nllb_code("zho_Hans") == "zho_Hans");
  CHECK(to_nllb_code("ZHO_HANT") == "zho_Hant");
  CHECK(to_nllb_code("arz-arab") == "arz_Arab");
  for (const auto& code : nllb_language_codes()) {
    INFO(code);
    CHECK(to_nllb_code(code) == code);
    auto routed = lower(code);
    std::replace(routed.begin(), routed.end(), '_', '-');
    CHECK(to_nllb_code(routed) == code);
  }
}

TEST_CASE("unambiguous ISO 639-3 codes are accepted", "[models]") {
  CHECK(to_nllb_code("eng") == "eng_Latn");
  CHECK(to_nllb_code("fra") == "fra_Latn");
  CHECK(to_nllb_code("spa") == "spa_Latn");
  CHECK(to_nllb_code("deu") == "deu_Latn");
  CHECK(to_nllb_code("por") == "por_Latn");
  CHECK(to_nllb_code("cmn") == "zho_Hans");
  CHECK(to_nllb_code("ace-arab") == "ace_Arab");
  CHECK_FALSE(to_nllb_code("ace"));
}

TEST_CASE("unknown tags are unsupported rather than guessed", "[models]") {
  for (const auto* tag : {"xx", "klingon", "", "auto", "und", "tlh", "en-",
                          "-en", "e n", "zz-zz", "x-en", "english"}) {
    INFO(tag);
    CHECK_FALSE(to_nllb_code(tag));
  }
}

TEST_CASE("NLLB codes display as ISO tags where one exists", "[models]") {
  CHECK(to_iso_tag("fra_Latn") == "fr");
  CHECK(to_iso_tag("zho_Hans") == "zh");
  CHECK(to_iso_tag("zho_Hant") == "zh-Hant");
  CHECK(to_iso_tag("pes_Arab") == "fa");
  CHECK(to_iso_tag("ace_Arab") == "ace_Arab");
  for (const auto& code : nllb_language_codes()) {
    INFO(code);
    CHECK(to_nllb_code(to_iso_tag(code)) == code);
  }
}

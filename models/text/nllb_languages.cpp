#include "models/text/nllb_languages.hpp"

#include <cctype>
#include <unordered_map>
#include <vector>

#include "models/checkpoint/nllb_codes.hpp"

namespace parley {
namespace {

struct tag_row {
  std::string_view tag;
  std::string_view nllb;
};

// ISO 639-1 codes. The first row naming an NLLB code gives its display tag.
// Macrolanguages map to the variety NLLB was trained on (ar -> Modern
// Standard Arabic, fa -> Iranian Persian, ms -> Standard Malay, ...).
constexpr tag_row iso_rows[] = {
    {"af", "afr_Latn"}, {"ak", "aka_Latn"}, {"am", "amh_Ethi"},
    {"ar", "arb_Arab"}, {"as", "asm_Beng"}, {"ay", "ayr_Latn"},
    {"az", "azj_Latn"}, {"ba", "bak_Cyrl"}, {"be", "bel_Cyrl"},
    {"bg", "bul_Cyrl"}, {"bm", "bam_Latn"}, {"bn", "ben_Beng"},
    {"bo", "bod_Tibt"}, {"bs", "bos_Latn"}, {"ca", "cat_Latn"},
    {"cs", "ces_Latn"}, {"cy", "cym_Latn"}, {"da", "dan_Latn"},
    {"de", "deu_Latn"}, {"dz", "dzo_Tibt"}, {"ee", "ewe_Latn"},
    {"el", "ell_Grek"}, {"en", "eng_Latn"}, {"eo", "epo_Latn"},
    {"es", "spa_Latn"}, {"et", "est_Latn"}, {"eu", "eus_Latn"},
    {"fa", "pes_Arab"}, {"ff", "fuv_Latn"}, {"fi", "fin_Latn"},
    {"fj", "fij_Latn"}, {"fo", "fao_Latn"}, {"fr", "fra_Latn"},
    {"ga", "gle_Latn"}, {"gd", "gla_Latn"}, {"gl", "glg_Latn"},
    {"gn", "grn_Latn"}, {"gu", "guj_Gujr"}, {"ha", "hau_Latn"},
    {"he", "heb_Hebr"}, {"hi", "hin_Deva"}, {"hr", "hrv_Latn"},
    {"ht", "hat_Latn"}, {"hu", "hun_Latn"}, {"hy", "hye_Armn"},
    {"id", "ind_Latn"}, {"ig", "ibo_Latn"}, {"is", "isl_Latn"},
    {"it", "ita_Latn"}, {"ja", "jpn_Jpan"}, {"jv", "jav_Latn"},
    {"ka", "kat_Geor"}, {"kg", "kon_Latn"}, {"ki", "kik_Latn"},
    {"kk", "kaz_Cyrl"}, {"km", "khm_Khmr"}, {"kn", "kan_Knda"},
    {"ko", "kor_Hang"}, {"kr", "knc_Latn"}, {"ks", "kas_Arab"},
    {"ku", "kmr_Latn"}, {"ky", "kir_Cyrl"}, {"lb", "ltz_Latn"},
    {"lg", "lug_Latn"}, {"li", "lim_Latn"}, {"ln", "lin_Latn"},
    {"lo", "lao_Laoo"}, {"lt", "lit_Latn"}, {"lv", "lvs_Latn"},
    {"mg", "plt_Latn"}, {"mi", "mri_Latn"}, {"mk", "mkd_Cyrl"},
    {"ml", "mal_Mlym"}, {"mn", "khk_Cyrl"}, {"mr", "mar_Deva"},
    {"ms", "zsm_Latn"}, {"mt", "mlt_Latn"}, {"my", "mya_Mymr"},
    {"ne", "npi_Deva"}, {"nl", "nld_Latn"}, {"nn", "nno_Latn"},
    {"no", "nob_Latn"}, {"nb", "nob_Latn"}, {"ny", "nya_Latn"},
    {"oc", "oci_Latn"}, {"om", "gaz_Latn"}, {"or", "ory_Orya"},
    {"pa", "pan_Guru"}, {"pl", "pol_Latn"}, {"ps", "pbt_Arab"},
    {"pt", "por_Latn"}, {"qu", "quy_Latn"}, {"rn", "run_Latn"},
    {"ro", "ron_Latn"}, {"ru", "rus_Cyrl"}, {"rw", "kin_Latn"},
    {"sa", "san_Deva"}, {"sc", "srd_Latn"}, {"sd", "snd_Arab"},
    {"sg", "sag_Latn"}, {"si", "sin_Sinh"}, {"sk", "slk_Latn"},
    {"sl", "slv_Latn"}, {"sm", "smo_Latn"}, {"sn", "sna_Latn"},
    {"so", "som_Latn"}, {"sq", "als_Latn"}, {"sr", "srp_Cyrl"},
    {"ss", "ssw_Latn"}, {"st", "sot_Latn"}, {"su", "sun_Latn"},
    {"sv", "swe_Latn"}, {"sw", "swh_Latn"}, {"ta", "tam_Taml"},
    {"te", "tel_Telu"}, {"tg", "tgk_Cyrl"}, {"th", "tha_Thai"},
    {"ti", "tir_Ethi"}, {"tk", "tuk_Latn"}, {"tl", "tgl_Latn"},
    {"tn", "tsn_Latn"}, {"tr", "tur_Latn"}, {"ts", "tso_Latn"},
    {"tt", "tat_Cyrl"}, {"tw", "twi_Latn"}, {"ug", "uig_Arab"},
    {"uk", "ukr_Cyrl"}, {"ur", "urd_Arab"}, {"uz", "uzn_Latn"},
    {"vi", "vie_Latn"}, {"wo", "wol_Latn"}, {"xh", "xho_Latn"},
    {"yi", "ydd_Hebr"}, {"yo", "yor_Latn"}, {"zh", "zho_Hans"},
    {"zu", "zul_Latn"},
};

// Legacy ISO 639-1 codes, ISO 639-2/B codes and ISO 639-3 macrolanguage or
// individual codes that differ from the NLLB code's own prefix. The prefixes
// of the NLLB codes ("eng", "arz", ...) are accepted without a row here.
constexpr tag_row alias_rows[] = {
    {"iw", "heb_Hebr"},  {"in", "ind_Latn"},  {"ji", "ydd_Hebr"},
    {"mo", "ron_Latn"},  {"ara", "arb_Arab"}, {"fas", "pes_Arab"},
    {"per", "pes_Arab"}, {"msa", "zsm_Latn"}, {"may", "zsm_Latn"},
    {"zho", "zho_Hans"}, {"chi", "zho_Hans"}, {"cmn", "zho_Hans"},
    {"swa", "swh_Latn"}, {"lav", "lvs_Latn"}, {"sqi", "als_Latn"},
    {"alb", "als_Latn"}, {"aze", "azj_Latn"}, {"uzb", "uzn_Latn"},
    {"nor", "nob_Latn"}, {"mon", "khk_Cyrl"}, {"nep", "npi_Deva"},
    {"ori", "ory_Orya"}, {"pus", "pbt_Arab"}, {"que", "quy_Latn"},
    {"ful", "fuv_Latn"}, {"aym", "ayr_Latn"}, {"kur", "kmr_Latn"},
    {"kau", "knc_Latn"}, {"knc", "knc_Latn"}, {"kas", "kas_Arab"},
    {"mlg", "plt_Latn"}, {"orm", "gaz_Latn"}, {"yid", "ydd_Hebr"},
    {"fil", "tgl_Latn"}, {"fre", "fra_Latn"}, {"ger", "deu_Latn"},
    {"dut", "nld_Latn"}, {"gre", "ell_Grek"}, {"cze", "ces_Latn"},
    {"rum", "ron_Latn"}, {"slo", "slk_Latn"}, {"arm", "hye_Armn"},
    {"geo", "kat_Geor"}, {"ice", "isl_Latn"}, {"mac", "mkd_Cyrl"},
    {"bur", "mya_Mymr"}, {"baq", "eus_Latn"}, {"wel", "cym_Latn"},
    {"tib", "bod_Tibt"}, {"mao", "mri_Latn"},
};

struct variant_row {
  std::string_view family; // prefix of the language's default NLLB code
  std::string_view subtag; // a script or region subtag, lower case
  std::string_view nllb;
};

// Script or region subtags that select another NLLB language than the
// default's own family. Scripts within a family ("zh-hant") need no row.
constexpr variant_row variant_rows[] = {
    {"zho", "tw", "zho_Hant"},   {"zho", "hk", "zho_Hant"},
    {"zho", "mo", "zho_Hant"},   {"azj", "arab", "azb_Arab"},
    {"azj", "ir", "azb_Arab"},   {"pes", "af", "prs_Arab"},
    {"kmr", "arab", "ckb_Arab"},
};

std::string lower(std::string_view text) {
  std::string out{text};
  for (auto& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string_view family_of(std::string_view nllb_code) {
  return nllb_code.substr(0, nllb_code.find('_'));
}

struct language_tables {
  std::unordered_map<std::string, std::string> defaults;
  std::unordered_map<std::string, std::vector<std::string>> families;
};

const language_tables& tables() {
  static const language_tables built = [] {
    language_tables t;
    for (const auto& code : nllb_language_codes()) {
      t.families[std::string{family_of(code)}].push_back(code);
    }
    for (const auto& [family, codes] : t.families) {
      if (codes.size() == 1) {
        t.defaults[family] = codes.front();
      }
    }
    for (const auto& row : iso_rows) {
      t.defaults[std::string{row.tag}] = std::string{row.nllb};
    }
    for (const auto& row : alias_rows) {
      t.defaults[std::string{row.tag}] = std::string{row.nllb};
    }
    return t;
  }();
  return built;
}

struct parsed_tag {
  std::string language;
  std::string script;
  std::string region;
};

bool all_of(std::string_view s, int (*pred)(int)) {
  for (char c : s) {
    if (!pred(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

// BCP 47 shape: language[-extlang][-script][-region][-variant...][-x-...].
std::optional<parsed_tag> parse_tag(std::string_view tag) {
  while (!tag.empty()
         && std::isspace(static_cast<unsigned char>(tag.front()))) {
    tag.remove_prefix(1);
  }
  while (!tag.empty() && std::isspace(static_cast<unsigned char>(tag.back()))) {
    tag.remove_suffix(1);
  }
  std::vector<std::string> parts;
  std::string part;
  for (char c : lower(tag)) {
    if (c == '-' || c == '_') {
      parts.push_back(part);
      part.clear();
    } else {
      part += c;
    }
  }
  parts.push_back(part);
  for (const auto& p : parts) {
    if (p.empty() || p.size() > 8 || !all_of(p, std::isalnum)) {
      return std::nullopt;
    }
  }
  parsed_tag out;
  out.language = parts[0];
  if (out.language.size() < 2 || out.language.size() > 3
      || !all_of(out.language, std::isalpha)) {
    return std::nullopt;
  }
  size_t i = 1;
  if (i < parts.size() && parts[i].size() == 3
      && all_of(parts[i], std::isalpha)) {
    out.language = parts[i++];
  }
  for (; i < parts.size(); ++i) {
    const auto& p = parts[i];
    if (p.size() == 1) {
      break;
    }
    bool script = p.size() == 4 && all_of(p, std::isalpha);
    bool region = (p.size() == 2 && all_of(p, std::isalpha))
                  || (p.size() == 3 && all_of(p, std::isdigit));
    if (script && out.script.empty() && out.region.empty()) {
      out.script = p;
    } else if (region && out.region.empty()) {
      out.region = p;
    }
  }
  return out;
}

std::optional<std::string> variant(std::string_view family,
                                   std::string_view subtag) {
  for (const auto& row : variant_rows) {
    if (row.family == family && row.subtag == subtag) {
      return std::string{row.nllb};
    }
  }
  return std::nullopt;
}

} // namespace

std::optional<std::string> to_nllb_code(std::string_view tag) {
  auto parsed = parse_tag(tag);
  if (!parsed) {
    return std::nullopt;
  }
  const auto& t = tables();
  std::optional<std::string> fallback;
  if (auto it = t.defaults.find(parsed->language); it != t.defaults.end()) {
    fallback = it->second;
  }
  std::string family =
      fallback ? std::string{family_of(*fallback)} : parsed->language;
  if (!parsed->script.empty()) {
    if (auto v = variant(family, parsed->script)) {
      return v;
    }
    auto it = t.families.find(family);
    if (it == t.families.end()) {
      return std::nullopt;
    }
    for (const auto& code : it->second) {
      if (lower(code.substr(code.find('_') + 1)) == parsed->script) {
        return code;
      }
    }
    return std::nullopt;
  }
  if (!parsed->region.empty()) {
    if (auto v = variant(family, parsed->region)) {
      return v;
    }
  }
  return fallback;
}

std::string to_iso_tag(const std::string& nllb_code) {
  for (const auto& row : iso_rows) {
    if (row.nllb == nllb_code) {
      return std::string{row.tag};
    }
  }
  auto family = family_of(nllb_code);
  auto separator = nllb_code.find('_');
  if (separator != std::string::npos) {
    for (const auto& row : iso_rows) {
      if (family_of(row.nllb) == family) {
        return std::string{row.tag} + "-" + nllb_code.substr(separator + 1);
      }
    }
  }
  return nllb_code;
}

} // namespace parley

#include "io/gateway/language_names.hpp"

#include <map>

namespace parley {

language_name name_of_language(const std::string& code) {
  static const std::map<std::string, language_name> names = {
      {"af", {"Afrikaans", "Afrikaans"}},
      {"ar", {"Arabic", "العربية"}},
      {"bg", {"Bulgarian", "Български"}},
      {"bn", {"Bengali", "বাংলা"}},
      {"bs", {"Bosnian", "Bosanski"}},
      {"ca", {"Catalan", "Català"}},
      {"cs", {"Czech", "Čeština"}},
      {"cy", {"Welsh", "Cymraeg"}},
      {"da", {"Danish", "Dansk"}},
      {"de", {"German", "Deutsch"}},
      {"el", {"Greek", "Ελληνικά"}},
      {"en", {"English", "English"}},
      {"eo", {"Esperanto", "Esperanto"}},
      {"es", {"Spanish", "Español"}},
      {"et", {"Estonian", "Eesti"}},
      {"eu", {"Basque", "Euskara"}},
      {"fa", {"Persian", "فارسی"}},
      {"fi", {"Finnish", "Suomi"}},
      {"fr", {"French", "Français"}},
      {"ga", {"Irish", "Gaeilge"}},
      {"gl", {"Galician", "Galego"}},
      {"he", {"Hebrew", "עברית"}},
      {"hi", {"Hindi", "हिन्दी"}},
      {"hr", {"Croatian", "Hrvatski"}},
      {"hu", {"Hungarian", "Magyar"}},
      {"id", {"Indonesian", "Bahasa Indonesia"}},
      {"is", {"Icelandic", "Íslenska"}},
      {"it", {"Italian", "Italiano"}},
      {"ja", {"Japanese", "日本語"}},
      {"ko", {"Korean", "한국어"}},
      {"lt", {"Lithuanian", "Lietuvių"}},
      {"lv", {"Latvian", "Latviešu"}},
      {"mk", {"Macedonian", "Македонски"}},
      {"ms", {"Malay", "Bahasa Melayu"}},
      {"nl", {"Dutch", "Nederlands"}},
      {"no", {"Norwegian", "Norsk"}},
      {"oc", {"Occitan", "Occitan"}},
      {"pl", {"Polish", "Polski"}},
      {"pt", {"Portuguese", "Português"}},
      {"ro", {"Romanian", "Română"}},
      {"ru", {"Russian", "Русский"}},
      {"sk", {"Slovak", "Slovenčina"}},
      {"sl", {"Slovenian", "Slovenščina"}},
      {"sq", {"Albanian", "Shqip"}},
      {"sr", {"Serbian", "Српски"}},
      {"sv", {"Swedish", "Svenska"}},
      {"sw", {"Swahili", "Kiswahili"}},
      {"ta", {"Tamil", "தமிழ்"}},
      {"th", {"Thai", "ไทย"}},
      {"tr", {"Turkish", "Türkçe"}},
      {"uk", {"Ukrainian", "Українська"}},
      {"ur", {"Urdu", "اردو"}},
      {"vi", {"Vietnamese", "Tiếng Việt"}},
      {"zh", {"Chinese", "中文"}},
  };
  auto i = names.find(code);
  return i == names.end() ? language_name{code, code} : i->second;
}

} // namespace parley

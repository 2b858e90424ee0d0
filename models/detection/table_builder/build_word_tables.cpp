// Builds the word tables of short-text detection (see word_table_format.hpp)
// from Debian's word lists and hunspell word forms, and from Parley's own
// tables of common chat words. Run by the build, never at serving time:
//
//   build_word_tables OUT code=fr dict=/usr/share/dict/french
//                     chat=models/detection/chat_words/fr.txt code=es ...
//
// writes the tables to OUT.bin, and OUT.cpp, which embeds them with the
// assembler's .incbin and names their checksum: a compiler cache hashes the
// source, not the file it includes, so the checksum makes new tables a new
// source.
//
// Each dictionary line is one word; anything from a '/', a space or a tab on
// (hunspell's flags and fields) is dropped, and so are lines with digits.
// Capitalized entries are names in most lists and are skipped, except in
// German, whose nouns are capitalized. A language keeps at most `max_words`
// words, the shortest first: word lists carry no frequencies, and chat favours
// short words.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

#include "models/detection/word_folding.hpp"
#include "models/detection/word_table_format.hpp"

namespace {

using namespace parley::detection;

constexpr size_t max_words = 300000;

struct language_input {
  std::string code;
  std::vector<std::string> dictionaries;
  std::vector<std::string> chat_lists;
};

bool usable(const std::string& word) {
  // A leading '-' marks a suffix entry (Basque), not a word.
  if (word.empty() || word.size() > 40 || word[0] == '-')
    return false;
  for (auto c : word)
    if ((c >= '0' && c <= '9') || c == ' ' || c == '\t' || c == '.')
      return false;
  return true;
}

std::vector<std::string> dictionary_words(const language_input& language) {
  std::unordered_set<std::string> seen;
  std::vector<std::string> words;
  for (const auto& path : language.dictionaries) {
    std::ifstream in(path);
    if (!in)
      throw std::runtime_error("cannot read " + path);
    std::string line;
    while (std::getline(in, line)) {
      // Hunspell's flags follow a '/', its morphological fields a space or
      // a tab.
      if (auto end = line.find_first_of("/ \t"); end != std::string::npos)
        line.resize(end);
      while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
        line.pop_back();
      if (!usable(line) || line.find("'s") == line.size() - 2)
        continue;
      if (language.code != "de" && is_capitalized(line))
        continue;
      auto folded = fold_word(line);
      if (seen.insert(folded).second)
        words.push_back(std::move(folded));
    }
  }
  std::sort(words.begin(), words.end(), [](const auto& a, const auto& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  if (words.size() > max_words)
    words.resize(max_words);
  return words;
}

std::vector<uint64_t> chat_hashes(const language_input& language) {
  std::vector<uint64_t> hashes;
  for (const auto& path : language.chat_lists) {
    std::ifstream in(path);
    if (!in)
      throw std::runtime_error("cannot read " + path);
    std::string line;
    while (std::getline(in, line)) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
        line.pop_back();
      if (line.empty() || line[0] == '#')
        continue;
      hashes.push_back(word_hash(fold_word(line)));
    }
  }
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  return hashes;
}

template <class T> void put(std::ofstream& out, const T& value) {
  out.write(reinterpret_cast<const char*>(&value), sizeof(value));
}

void write_language(std::ofstream& out, const language_input& language) {
  auto words = dictionary_words(language);
  auto chat = chat_hashes(language);
  uint64_t bits =
      std::max<uint64_t>(64, words.size() * table_format::bits_per_word);
  bits = (bits + 63) / 64 * 64;
  std::vector<uint64_t> bloom(bits / 64, 0);
  for (const auto& word : words) {
    auto hash = word_hash(word);
    for (uint32_t probe = 0; probe < table_format::probes; ++probe) {
      auto bit = table_format::probe_bit(hash, probe, bits);
      bloom[bit / 64] |= uint64_t{1} << (bit % 64);
    }
  }
  char code[8] = {};
  std::strncpy(code, language.code.c_str(), sizeof(code) - 1);
  out.write(code, sizeof(code));
  put(out, static_cast<uint32_t>(words.size()));
  put(out, static_cast<uint32_t>(bloom.size()));
  put(out, static_cast<uint32_t>(chat.size()));
  put(out, uint32_t{0});
  out.write(reinterpret_cast<const char*>(bloom.data()),
            static_cast<std::streamsize>(bloom.size() * sizeof(uint64_t)));
  out.write(reinterpret_cast<const char*>(chat.data()),
            static_cast<std::streamsize>(chat.size() * sizeof(uint64_t)));
  std::cout << "word tables: " << language.code << ": " << words.size()
            << " dictionary words, " << chat.size() << " chat words\n";
}

/// The C++ file that embeds `bin` into the binary under the symbols
/// word_tables.cpp reads.
void write_embedding(const std::string& cpp, const std::string& bin) {
  std::ifstream in(bin, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  auto path = std::filesystem::absolute(bin).string();
  std::ofstream out(cpp);
  out << "// Generated by build_word_tables: embeds " << path << "\n"
      << "// checksum " << word_hash(bytes) << ", " << bytes.size()
      << " bytes\n"
      << "__asm__(\".section .rodata\\n\"\n"
      << "        \".balign 64\\n\"\n"
      << "        \".global parley_word_tables_begin\\n\"\n"
      << "        \"parley_word_tables_begin:\\n\"\n"
      << "        \".incbin \\\"" << path << "\\\"\\n\"\n"
      << "        \".global parley_word_tables_end\\n\"\n"
      << "        \"parley_word_tables_end:\\n\"\n"
      << "        \".byte 0\\n\"\n"
      << "        \".previous\\n\");\n";
  if (!out)
    throw std::runtime_error("cannot write " + cpp);
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: build_word_tables OUT code=LANG [dict=PATH]... "
                 "[chat=PATH]...\n";
    return 2;
  }
  std::vector<language_input> languages;
  for (int i = 2; i < argc; ++i) {
    std::string argument = argv[i];
    auto equals = argument.find('=');
    auto key = argument.substr(0, equals);
    auto value = equals == std::string::npos ? "" : argument.substr(equals + 1);
    if (key == "code")
      languages.push_back({value, {}, {}});
    else if (!languages.empty() && key == "dict")
      languages.back().dictionaries.push_back(value);
    else if (!languages.empty() && key == "chat")
      languages.back().chat_lists.push_back(value);
    else {
      std::cerr << "build_word_tables: unexpected argument " << argument
                << '\n';
      return 2;
    }
  }
  try {
    std::string bin = std::string{argv[1]} + ".bin";
    {
      std::ofstream out(bin, std::ios::binary);
      out.write(table_format::magic, sizeof(table_format::magic));
      put(out, static_cast<uint32_t>(languages.size()));
      for (const auto& language : languages)
        write_language(out, language);
      if (!out)
        throw std::runtime_error("cannot write " + bin);
    }
    write_embedding(std::string{argv[1]} + ".cpp", bin);
  } catch (const std::exception& e) {
    std::cerr << "build_word_tables: " << e.what() << '\n';
    return 1;
  }
  return 0;
}

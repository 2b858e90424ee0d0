#include "models/detection/word_tables.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "models/detection/word_table_format.hpp"

// Set by the assembler file the build generates around the table file.
extern "C" const unsigned char parley_word_tables_begin[];
extern "C" const unsigned char parley_word_tables_end[];

namespace parley::detection {

namespace {

template <class T>
T read(const unsigned char* bytes, size_t size, size_t& offset) {
  if (offset + sizeof(T) > size)
    throw std::runtime_error("the word tables are truncated");
  T value;
  std::memcpy(&value, bytes + offset, sizeof(T));
  offset += sizeof(T);
  return value;
}

} // namespace

const word_tables& word_tables::embedded() {
  static const word_tables tables(
      parley_word_tables_begin,
      static_cast<size_t>(parley_word_tables_end - parley_word_tables_begin));
  return tables;
}

word_tables::word_tables(const unsigned char* bytes, size_t size) {
  if (size < 8 || std::memcmp(bytes, table_format::magic, 4) != 0)
    throw std::runtime_error("the word tables have no PWT1 header");
  size_t offset = 4;
  auto count = read<uint32_t>(bytes, size, offset);
  for (uint32_t i = 0; i < count; ++i) {
    char code[9] = {};
    for (int c = 0; c < 8; ++c)
      code[c] = read<char>(bytes, size, offset);
    table t;
    t.dictionary_words = read<uint32_t>(bytes, size, offset);
    auto bloom_words = read<uint32_t>(bytes, size, offset);
    t.chat_words = read<uint32_t>(bytes, size, offset);
    read<uint32_t>(bytes, size, offset);
    auto words = size_t{bloom_words} + t.chat_words;
    if (offset + words * sizeof(uint64_t) > size || offset % 8 != 0
        || bloom_words == 0)
      throw std::runtime_error("the word tables are truncated");
    t.bloom = reinterpret_cast<const uint64_t*>(bytes + offset);
    t.bloom_bits = uint64_t{bloom_words} * 64;
    t.chat = t.bloom + bloom_words;
    offset += words * sizeof(uint64_t);
    codes_.emplace_back(code);
    tables_.push_back(t);
  }
}

int word_tables::index_of(std::string_view language) const {
  for (size_t i = 0; i < codes_.size(); ++i)
    if (codes_[i] == language)
      return static_cast<int>(i);
  return -1;
}

bool word_tables::in_dictionary(int language, uint64_t hash) const {
  const auto& t = tables_[static_cast<size_t>(language)];
  for (uint32_t probe = 0; probe < table_format::probes; ++probe) {
    auto bit = table_format::probe_bit(hash, probe, t.bloom_bits);
    if ((t.bloom[bit / 64] & (uint64_t{1} << (bit % 64))) == 0)
      return false;
  }
  return true;
}

bool word_tables::is_chat_word(int language, uint64_t hash) const {
  const auto& t = tables_[static_cast<size_t>(language)];
  return std::binary_search(t.chat, t.chat + t.chat_words, hash);
}

uint32_t word_tables::dictionary_size(int language) const {
  return tables_[static_cast<size_t>(language)].dictionary_words;
}

} // namespace parley::detection

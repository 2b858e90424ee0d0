#pragma once

// The word tables of short-text detection, built from Debian's word lists
// and Parley's chat words at build time (table_builder/) and compiled into
// the binary: per language, a Bloom filter of its dictionary words and the
// exact set of its most common chat words.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parley::detection {

class word_tables {
public:
  /// The tables compiled into Parley. Throws std::runtime_error when they
  /// are malformed, which only a broken build can cause.
  static const word_tables& embedded();

  /// Reads tables laid out as word_table_format.hpp says; `bytes` must
  /// outlive the object.
  word_tables(const unsigned char* bytes, size_t size);

  /// The languages with tables, in table order.
  const std::vector<std::string>& languages() const {
    return codes_;
  }

  /// The index of `language` in languages(), or -1.
  int index_of(std::string_view language) const;

  /// Whether a word of that hash (word_hash of the folded word) is in the
  /// language's dictionaries; about 1% false positives.
  bool in_dictionary(int language, uint64_t hash) const;

  /// Whether it is one of the language's common chat words; exact.
  bool is_chat_word(int language, uint64_t hash) const;

  /// Dictionary words the language's filter holds, for `parley detect`'s
  /// and the benchmark's reports.
  uint32_t dictionary_size(int language) const;

private:
  struct table {
    uint32_t dictionary_words = 0;
    const uint64_t* bloom = nullptr;
    uint64_t bloom_bits = 0;
    const uint64_t* chat = nullptr;
    uint32_t chat_words = 0;
  };

  std::vector<std::string> codes_;
  std::vector<table> tables_;
};

} // namespace parley::detection

#pragma once

// The layout of the word tables, written at build time by table_builder/
// and read in place by word_tables.cpp. All fields are little-endian and
// 8-byte aligned:
//
//   "PWT1" u32 language_count
//   per language:
//     char code[8]            ISO 639-1, zero-padded
//     u32  dictionary_words   words put in the Bloom filter
//     u32  bloom_words        u64 words of the filter
//     u32  chat_words         u64 hashes in the chat set
//     u32  reserved
//     u64  bloom[bloom_words]
//     u64  chat[chat_words]   sorted

#include <cstdint>

namespace parley::detection::table_format {

constexpr char magic[4] = {'P', 'W', 'T', '1'};

/// Bits of Bloom filter per word, and probes per lookup: about 1% false
/// positives, which the detector's scores absorb (a word counts, not decides).
constexpr uint64_t bits_per_word = 10;
constexpr uint32_t probes = 7;

/// The filter bit a probe reads.
inline uint64_t probe_bit(uint64_t hash, uint32_t probe, uint64_t bits) {
  uint64_t step = (hash >> 32) | 1;
  return (hash + probe * step) % bits;
}

} // namespace parley::detection::table_format

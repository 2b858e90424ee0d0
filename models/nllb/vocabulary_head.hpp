#pragma once

// The LM head: the decoder's last states times the tied embedding, over the
// whole vocabulary (256,206 ids for NLLB).

#include <cstdint>
#include <vector>

#include <ATen/ATen.h>

#include "models/nllb/linear.hpp"
#include "models/transformer/placement.hpp"

namespace parley::nllb {

/// Ids a decoding step must not choose, per row (no_repeat_ngram_size).
using banned_ids = std::vector<std::vector<int64_t>>;

/// The vocabulary projection, held on the CPU as blocks of embedding rows,
/// each a linear_layer of its own (packed or quantized on its own). Greedy
/// decoding takes each row's best id block by block, from a block of logits
/// still in the cache: the [rows, vocab] logits are never written whole, nor
/// read again to scale them and to find their maximum. On a GPU it is one
/// block, and the ids are what crosses back to the host.
class vocabulary_head {
public:
  vocabulary_head() = default;

  /// The head tied to `embedding` [vocab, d], placed as `where` says (the
  /// embedding keeps its float copy on the CPU, for lookups).
  vocabulary_head(const at::Tensor& embedding,
                  const transformer::placement& where,
                  int64_t block_rows = cpu_block_rows);

  /// Logits [..., vocab] of states [..., d], as float32.
  at::Tensor logits(const at::Tensor& states) const;

  /// The id of each row's largest logit for states [rows, d], skipping the
  /// ids in banned[row]; ties go to the lower id, as at::argmax's do.
  std::vector<int64_t> best_ids(const at::Tensor& states,
                                const banned_ids& banned) const;

  /// Bytes of weights one call on a few rows reads.
  int64_t weight_bytes() const;

  /// Vocabulary rows per block on the CPU. On NLLB's 256,206 x 1024 head,
  /// int8, 16 rows, best of 6 (an Intel Xeon with AMX, 2 threads): the logits
  /// and at::argmax 38.9 ms; best_ids in one block 32.1, in blocks of 65,536
  /// rows 29.9, of 8,192 rows 32.0 and of 2,048 rows 36.4 (each product
  /// call costs); at one row, 24.7, 24.4, 26.3 and 34.3 ms.
  static constexpr int64_t cpu_block_rows = 65536;

private:
  struct block {
    int64_t first_id = 0;
    linear_layer product;
  };
  int64_t vocab_ = 0;
  std::vector<block> blocks_;
};

} // namespace parley::nllb

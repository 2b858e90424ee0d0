#pragma once

// Attention for one decoding step on the CPU: one new position per row
// against its cached keys and values.

#include <ATen/ATen.h>

namespace parley::transformer {

/// Attention of `q` [rows, heads, 1, head dim] over `k` and `v` [rows, heads,
/// length, head dim] (float32; each position's head dim contiguous, any
/// strides above, as in a reserved KV room), scores scaled by `scale` plus
/// the additive `mask` [rows or 1, 1, 1, length] when defined. Returns [rows,
/// 1, heads x head dim], heads merged, as `attend` does.
///
/// The matrix products of a step are one query row per head: libtorch sent
/// each of the rows x heads pairs to its own BLAS call (256 per product at 16
/// rows), and those calls cost more than their arithmetic. Here one pass
/// per pair forms the scores, libtorch soft-maxes them all at once, and a
/// second pass sums the values.
at::Tensor attend_one_position(const at::Tensor& q, const at::Tensor& k,
                               const at::Tensor& v, const at::Tensor& mask,
                               double scale);

} // namespace parley::transformer

#pragma once

// The pre-LayerNorm encoder-decoder layers that NLLB (M2M100) and Whisper
// share, in the Hugging Face layout: weights, loading and the forward math.
// The models differ only in their stems, positions and activation.

#include <memory>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "models/nllb/linear.hpp"
#include "models/transformer/placement.hpp"

namespace parley {
class checkpoint;
}

namespace parley::transformer {

using nllb::linear_layer;

struct layer_norm_weights {
  at::Tensor weight; // *.weight
  at::Tensor bias;   // *.bias
};

struct attention_weights {
  linear_layer q_proj;   // *.q_proj
  linear_layer k_proj;   // *.k_proj (Whisper's has no bias)
  linear_layer v_proj;   // *.v_proj
  linear_layer out_proj; // *.out_proj
};

struct encoder_layer_weights {
  attention_weights self_attn;       // *.self_attn
  layer_norm_weights self_attn_norm; // *.self_attn_layer_norm
  linear_layer fc1;                  // *.fc1
  linear_layer fc2;                  // *.fc2
  layer_norm_weights final_norm;     // *.final_layer_norm
};

struct decoder_layer_weights {
  attention_weights self_attn;        // *.self_attn
  layer_norm_weights self_attn_norm;  // *.self_attn_layer_norm
  attention_weights cross_attn;       // *.encoder_attn
  layer_norm_weights cross_attn_norm; // *.encoder_attn_layer_norm
  linear_layer fc1;                   // *.fc1
  linear_layer fc2;                   // *.fc2
  layer_norm_weights final_norm;      // *.final_layer_norm
};

/// The shape of a stack of layers.
struct layer_spec {
  int64_t d_model = 0;
  int64_t ffn = 0;
  int64_t heads = 0;
  /// Whether the attention key projections have a bias.
  bool key_bias = true;
  /// Encoder self-attention in bfloat16 products (on the CPU, where it runs
  /// a block of queries at a time in every type).
  bool bfloat16_attention = false;
};

enum class activation { relu, gelu };

/// Looks up tensors under their checkpoint keys, checking shapes; F16 and
/// BF16 become F32, F32 is used in place from the mapped file.
class tensor_reader {
public:
  explicit tensor_reader(std::shared_ptr<const checkpoint> source);

  at::Tensor get(const std::string& name,
                 const std::vector<int64_t>& expected) const;
  linear_layer linear(const std::string& prefix, int64_t in, int64_t out,
                      bool bias = true) const;
  layer_norm_weights norm(const std::string& prefix, int64_t d) const;
  attention_weights attention(const std::string& prefix,
                              const layer_spec& spec) const;
  /// `prefix` names the layer: "model.encoder.layers.3". Its weights are
  /// placed as `where` says.
  encoder_layer_weights encoder_layer(const std::string& prefix,
                                      const layer_spec& spec,
                                      const placement& where) const;
  decoder_layer_weights decoder_layer(const std::string& prefix,
                                      const layer_spec& spec,
                                      const placement& where) const;
  /// The first of `names` the checkpoint has (tied copies of one tensor).
  at::Tensor first_of(const std::vector<std::string>& names,
                      const std::vector<int64_t>& expected) const;

private:
  std::shared_ptr<const checkpoint> source_;
};

/// Holds `layer` as `where` says: converted for the CPU's compute type (see
/// linear_layer::convert), or moved to the GPU in its type.
void place(linear_layer& layer, const placement& where,
           bool keep_float = false);

/// Moves a LayerNorm's weights as `where` says.
void place(layer_norm_weights& norm, const placement& where);

/// Keys and values one decoding keeps per layer (CTranslate2's split: the
/// weights are shared and immutable, this belongs to one request).
struct kv_cache {
  /// Cross-attention keys and values, computed once from the encoder
  /// output: [rows, heads, source length, head dim].
  std::vector<at::Tensor> cross_k;
  std::vector<at::Tensor> cross_v;
  /// Self-attention keys and values, preallocated [rows, heads, capacity,
  /// head dim] per layer, of which the first `self_length` positions are
  /// filled. A step writes its own positions and copies nothing of the
  /// past; a full room doubles. (Concatenating the past on every step was
  /// the largest cost of a 16-row NLLB step on the CPU.)
  std::vector<at::Tensor> self_k_room;
  std::vector<at::Tensor> self_v_room;
  int64_t self_length = 0;

  /// Empties the self-attention keys and values and reserves room for
  /// `capacity` positions per layer, shaped and placed like the
  /// cross-attention keys.
  void reserve_self(int64_t capacity);

  /// Keeps the given rows, in that order.
  void select(const at::Tensor& rows);
};

at::Tensor layer_norm(const at::Tensor& x, const layer_norm_weights& w);

/// The encoder layers over `h` [rows, length, d]; `mask` is additive or
/// undefined. The final LayerNorm is the caller's.
at::Tensor encoder_layers(at::Tensor h,
                          const std::vector<encoder_layer_weights>& layers,
                          const layer_spec& spec, activation act,
                          const at::Tensor& mask);

/// Fills the cross-attention keys and values of `cache` from `encoder_out`
/// and reserves `self_capacity` self-attention positions.
void start_cache(kv_cache& cache,
                 const std::vector<decoder_layer_weights>& layers,
                 const layer_spec& spec, const at::Tensor& encoder_out,
                 int64_t self_capacity);

/// The decoder layers over `h` [rows, n, d]. With a cache, the n tokens
/// follow the cached ones and extend the cache; without one, keys and values
/// come from `encoder_out`. The final LayerNorm is the caller's.
at::Tensor decoder_layers(at::Tensor h,
                          const std::vector<decoder_layer_weights>& layers,
                          const layer_spec& spec, activation act,
                          const at::Tensor& self_mask,
                          const at::Tensor& cross_mask, kv_cache* cache,
                          const at::Tensor& encoder_out);

} // namespace parley::transformer

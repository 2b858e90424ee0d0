#pragma once

// A Hugging Face model directory: config.json plus either model.safetensors
// or a sharded model.safetensors.index.json and its shards.

#include <memory>
#include <string>
#include <vector>

#include "models/checkpoint/safetensors.hpp"

namespace parley {

/// The weights and configuration of one model directory, memory-mapped.
/// Copies are cheap and share the mappings; tensor views stay valid while
/// any copy is alive.
class checkpoint {
public:
  /// Opens `dir`: reads config.json (kept as its JSON text) and maps every
  /// safetensors file. Throws checkpoint_error for a missing directory, a
  /// missing config.json, neither model.safetensors nor an index, an index
  /// naming a missing shard, or a tensor the index places in a shard that
  /// does not hold it.
  static checkpoint open(const std::string& dir);

  const std::string& dir() const;
  /// The text of config.json.
  const std::string& config_json() const;
  /// The tensor called `name`, or nullptr.
  const tensor_view* find(const std::string& name) const;
  /// The tensor called `name`; throws checkpoint_error "DIR: missing tensor
  /// NAME".
  const tensor_view& at(const std::string& name) const;
  /// The tensor called `name`, which must have `expected_shape`; throws
  /// checkpoint_error naming the tensor, the expected and the actual shape.
  const tensor_view& at(const std::string& name,
                        const std::vector<int64_t>& expected_shape) const;
  /// Every tensor name, sorted.
  std::vector<std::string> names() const;

private:
  struct state;
  explicit checkpoint(std::shared_ptr<const state> state);

  std::shared_ptr<const state> state_;
};

} // namespace parley

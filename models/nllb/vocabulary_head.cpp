#include "models/nllb/vocabulary_head.hpp"

#include <algorithm>
#include <limits>

#include "models/transformer/layers.hpp"

namespace parley::nllb {

namespace {

constexpr float minus_infinity = -std::numeric_limits<float>::infinity();

} // namespace

vocabulary_head::vocabulary_head(const at::Tensor& embedding,
                                 const transformer::placement& where,
                                 int64_t block_rows)
    : vocab_(embedding.size(0)) {
  auto rows_per_block = where.on_cpu() ? block_rows : vocab_;
  for (int64_t first = 0; first < vocab_; first += rows_per_block) {
    auto rows = std::min(rows_per_block, vocab_ - first);
    block b{first,
            linear_layer{embedding.narrow(0, first, rows), at::Tensor()}};
    transformer::place(b.product, where, /*keep_float=*/true);
    blocks_.push_back(std::move(b));
  }
}

at::Tensor vocabulary_head::logits(const at::Tensor& states) const {
  if (blocks_.size() == 1)
    return blocks_.front().product(states).to(at::kFloat);
  auto shape = states.sizes().vec();
  shape.back() = vocab_;
  auto out = at::empty(shape, states.options().dtype(at::kFloat));
  for (const auto& b : blocks_) {
    auto part = b.product(states);
    out.narrow(-1, b.first_id, part.size(-1)).copy_(part);
  }
  return out;
}

std::vector<int64_t> vocabulary_head::best_ids(const at::Tensor& states,
                                               const banned_ids& banned) const {
  auto rows = states.size(0);
  if (!states.is_cpu()) {
    auto logits = blocks_.front().product(states);
    std::vector<int64_t> ban_rows;
    std::vector<int64_t> ban_ids;
    for (int64_t r = 0; r < static_cast<int64_t>(banned.size()); ++r)
      for (auto id : banned[r]) {
        ban_rows.push_back(r);
        ban_ids.push_back(id);
      }
    if (!ban_ids.empty())
      logits.index_put_({at::tensor(ban_rows, at::kLong).to(logits.device()),
                         at::tensor(ban_ids, at::kLong).to(logits.device())},
                        minus_infinity);
    // The ids are all the search needs from the device.
    auto best = logits.argmax(-1).cpu();
    return {best.data_ptr<int64_t>(), best.data_ptr<int64_t>() + rows};
  }
  std::vector<int64_t> best_id(rows, 0);
  std::vector<float> best_value(rows, minus_infinity);
  for (const auto& b : blocks_) {
    auto part = b.product(states).contiguous();
    auto width = part.size(1);
    auto* values = part.data_ptr<float>();
    for (int64_t r = 0; r < static_cast<int64_t>(banned.size()); ++r)
      for (auto id : banned[r])
        if (id >= b.first_id && id < b.first_id + width)
          values[r * width + id - b.first_id] = minus_infinity;
    auto [largest, where] = at::max(part, /*dim=*/1);
    auto* largest_values = largest.data_ptr<float>();
    auto* largest_ids = where.data_ptr<int64_t>();
    for (int64_t r = 0; r < rows; ++r)
      // Strictly larger: on a tie the earlier block, the lower id, stays.
      if (largest_values[r] > best_value[r] || b.first_id == 0) {
        best_value[r] = largest_values[r];
        best_id[r] = b.first_id + largest_ids[r];
      }
  }
  return best_id;
}

int64_t vocabulary_head::weight_bytes() const {
  int64_t bytes = 0;
  for (const auto& b : blocks_)
    bytes += b.product.weight_bytes();
  return bytes;
}

} // namespace parley::nllb

#include "tests/support/torch_catch.hpp"

#include <c10/core/InferenceMode.h>

#include "models/nllb/vocabulary_head.hpp"
#include "models/transformer/layers.hpp"

using namespace parley;
using namespace parley::nllb;
using transformer::compute_type;

namespace {

// Three full blocks and a partial one, so that block edges are crossed.
constexpr int64_t vocab = 3 * vocabulary_head::cpu_block_rows + 1000;
constexpr int64_t width = 64;

std::vector<int64_t> argmax_of(const at::Tensor& logits) {
  auto best = logits.argmax(-1).contiguous();
  return {best.data_ptr<int64_t>(), best.data_ptr<int64_t>() + best.numel()};
}

} // namespace

TEST_CASE("the blocked LM head's best ids are the argmax of its logits",
          "[models][vocabulary_head]") {
  c10::InferenceMode inference;
  select_quantized_engine();
  auto generator = at::make_generator<at::CPUGeneratorImpl>(7);
  auto embedding = at::randn({vocab, width}, generator);
  for (auto type : transformer::all_compute_types()) {
    transformer::placement where{type, c10::Device{c10::kCPU}};
    vocabulary_head head{embedding, where};
    // The same product over the whole vocabulary in one layer.
    linear_layer whole{embedding, at::Tensor()};
    transformer::place(whole, where, /*keep_float=*/true);
    // One row takes the matrix-vector path, five the many-row products.
    for (int64_t rows : {1, 5}) {
      INFO(transformer::to_string(type) << ", " << rows << " rows");
      auto states = at::randn({rows, width}, generator);
      auto logits = head.logits(states);
      REQUIRE(logits.sizes() == at::IntArrayRef{rows, vocab});
      CHECK(at::allclose(logits, whole(states), 1e-4, 1e-4));
      if (type == compute_type::float32)
        CHECK(at::allclose(logits, at::mm(states, embedding.t()), 1e-4, 1e-4));
      CHECK(head.best_ids(states, {}) == argmax_of(logits));
    }
  }
}

TEST_CASE("a banned id is skipped for the next best, in its own row only",
          "[models][vocabulary_head]") {
  c10::InferenceMode inference;
  auto generator = at::make_generator<at::CPUGeneratorImpl>(11);
  auto embedding = at::randn({vocab, width}, generator);
  vocabulary_head head{embedding, {}};
  auto states = at::randn({2, width}, generator);
  auto ranked = std::get<1>(head.logits(states).topk(2, -1));
  auto first = ranked[0][0].item<int64_t>();
  auto second = ranked[0][1].item<int64_t>();
  auto other_row = ranked[1][0].item<int64_t>();
  auto ids = head.best_ids(states, {{first}, {}});
  CHECK(ids == std::vector<int64_t>{second, other_row});
  // Banning the second row's best in the first row changes nothing there.
  CHECK(head.best_ids(states, {{other_row}, {}})[1] == other_row);
}

TEST_CASE("equal logits in two blocks go to the lower id",
          "[models][vocabulary_head]") {
  c10::InferenceMode inference;
  // Small integers: every product is exact, whatever the kernel's order.
  auto generator = at::make_generator<at::CPUGeneratorImpl>(3);
  auto embedding =
      at::randint(-3, 4, {vocab, width}, generator, at::kLong).to(at::kFloat);
  auto state = at::ones({1, width});
  auto lower = int64_t{10};
  auto higher = 2 * vocabulary_head::cpu_block_rows + 5;
  embedding[lower].fill_(5);
  embedding[higher].fill_(5);
  vocabulary_head head{embedding, {}};
  CHECK(head.best_ids(state, {}) == std::vector<int64_t>{lower});
  CHECK(head.best_ids(state, {{lower}}) == std::vector<int64_t>{higher});
}

// Decoding on the tiny NLLB fixture: the different paths must agree.

#include "tests/support/torch_catch.hpp"

#include <c10/core/InferenceMode.h>

#include "models/nllb/generate.hpp"
#include "models/nllb/model.hpp"
#include "tests/support/nllb_fixture.hpp"

using namespace parley;
using namespace parley::nllb;

namespace {

const model& tiny_model() {
  static const model m{load_weights(test::nllb_fixture_dir(), load_options{})};
  return m;
}

/// Random right-padded sources of the given lengths: [eng_Latn] ... </s>.
generation_input sources(const std::vector<int64_t>& lengths, uint64_t seed) {
  auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
  auto longest = *std::max_element(lengths.begin(), lengths.end());
  auto rows = static_cast<int64_t>(lengths.size());
  generation_input input;
  input.ids = at::full({rows, longest}, 1, at::kLong);
  input.mask = at::zeros({rows, longest}, at::kLong);
  for (int64_t r = 0; r < rows; ++r) {
    auto n = lengths[r];
    input.ids[r].narrow(0, 0, n).copy_(
        at::randint(4, 1000, {n}, generator, at::kLong));
    input.ids[r][0] = 1001;
    input.ids[r][n - 1] = 2;
    input.mask[r].narrow(0, 0, n).fill_(1);
    input.forced_first.push_back(1002 + r % 3);
  }
  return input;
}

generation_input row_of(const generation_input& batch, int64_t row) {
  auto length = batch.mask[row].sum().item<int64_t>();
  return {batch.ids.narrow(0, row, 1).narrow(1, 0, length),
          batch.mask.narrow(0, row, 1).narrow(1, 0, length),
          {batch.forced_first[row]}};
}

} // namespace

TEST_CASE("the KV-cached decode equals the uncached decode", "[models]") {
  c10::InferenceMode inference;
  auto input = sources({9, 5, 12}, 7);
  generation_options options;
  options.max_new_tokens = 12;
  auto cached = greedy_search(tiny_model(), input, options);
  auto uncached = greedy_uncached(tiny_model(), input, 12);
  CHECK(cached == uncached);
}

TEST_CASE("beam search with one beam equals greedy", "[models]") {
  c10::InferenceMode inference;
  auto input = sources({9, 5, 12}, 11);
  generation_options options;
  options.max_new_tokens = 16;
  auto greedy = greedy_search(tiny_model(), input, options);
  options.num_beams = 1;
  CHECK(beam_search(tiny_model(), input, options) == greedy);
}

TEST_CASE("a batch decodes as its sentences do one at a time", "[models]") {
  c10::InferenceMode inference;
  auto input = sources({3, 10, 7, 14}, 3);
  generation_options options;
  options.max_new_tokens = 10;
  auto together = greedy_search(tiny_model(), input, options);
  for (int64_t row = 0; row < 4; ++row) {
    INFO("row " << row);
    auto alone = greedy_search(tiny_model(), row_of(input, row), options);
    CHECK(alone[0] == together[row]);
  }
  options.num_beams = 3;
  auto beams_together = beam_search(tiny_model(), input, options);
  for (int64_t row = 0; row < 4; ++row) {
    INFO("beam row " << row);
    auto alone = beam_search(tiny_model(), row_of(input, row), options);
    CHECK(alone[0] == beams_together[row]);
  }
}

TEST_CASE("decoding starts with the start token and the forced language",
          "[models]") {
  c10::InferenceMode inference;
  auto input = sources({6, 8}, 5);
  generation_options options;
  options.max_new_tokens = 5;
  for (auto beams : {1, 4}) {
    options.num_beams = beams;
    auto out = generate(tiny_model(), input, options);
    REQUIRE(out.size() == 2);
    for (size_t row = 0; row < 2; ++row) {
      REQUIRE(out[row].size() >= 2);
      CHECK(out[row][0] == tiny_model().config().decoder_start_id);
      CHECK(out[row][1] == input.forced_first[row]);
      CHECK(out[row].size() <= 6);
    }
  }
}

TEST_CASE("no n-gram repeats when repeats are forbidden", "[models]") {
  c10::InferenceMode inference;
  // The fixture's model repeats one token forever when left alone.
  auto input = sources({9}, 1);
  generation_options options;
  options.max_new_tokens = 20;
  auto free_running = greedy_search(tiny_model(), input, options)[0];
  auto repeats = [](const std::vector<int64_t>& tokens) {
    for (size_t i = 0; i + 1 < tokens.size(); ++i)
      for (size_t j = i + 1; j + 1 < tokens.size(); ++j)
        if (tokens[i] == tokens[j] && tokens[i + 1] == tokens[j + 1])
          return true;
    return false;
  };
  REQUIRE(repeats(free_running));
  options.no_repeat_ngram_size = 2;
  for (auto beams : {1, 3}) {
    options.num_beams = beams;
    INFO("beams " << beams);
    CHECK_FALSE(repeats(generate(tiny_model(), input, options)[0]));
  }
}

TEST_CASE("max_length caps the decoder sequence", "[models]") {
  c10::InferenceMode inference;
  auto input = sources({9}, 2);
  generation_options options;
  options.max_new_tokens = 50;
  options.max_length = 6;
  for (auto beams : {1, 2}) {
    options.num_beams = beams;
    CHECK(generate(tiny_model(), input, options)[0].size() == 6);
  }
}

TEST_CASE("decoding into KV rooms that grow gives the logits of rooms that "
          "never do, through row selection",
          "[models][device]") {
  c10::InferenceMode inference;
  const auto& m = tiny_model();
  auto input = sources({9, 5, 12}, 13);
  auto encoder_out = m.encode(input.ids, input.mask);
  auto roomy = m.start(encoder_out, input.mask);
  auto reserved = m.start(encoder_out, input.mask);
  REQUIRE(roomy.self_k_room.front().size(2) >= 6);
  reserved.reserve_self(2); // grows twice within 6 steps
  auto last = at::full({3}, m.config().decoder_start_id, at::kLong);
  for (int64_t step = 0; step < 6; ++step) {
    INFO("step " << step);
    auto expected = m.step(roomy, last);
    auto actual = m.step(reserved, last);
    REQUIRE(actual.sizes() == expected.sizes());
    CHECK(at::allclose(actual, expected, /*rtol=*/0, /*atol=*/1e-5));
    last = expected.argmax(-1);
    if (step == 2) { // drop the middle row and swap the others
      auto rows = at::tensor(std::vector<int64_t>{2, 0}, at::kLong);
      roomy.select(rows);
      reserved.select(rows);
      last = last.index_select(0, rows);
    }
  }
  CHECK(reserved.self_length == 6);
}

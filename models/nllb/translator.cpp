#include "models/nllb/translator.hpp"

#include <algorithm>

#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>

#include "messages/error_code.hpp"
#include "models/text/nllb_languages.hpp"

namespace parley::nllb {

namespace {

/// One job's text to decode.
struct sentence_job {
  size_t job = 0;
  std::vector<int64_t> ids;
  int64_t target_id = 0;
};

/// A job's languages, checked against the tokenizer.
struct language_pair {
  std::string source;
  std::string target;
  int64_t target_id = 0;
};

caf::error unsupported(const std::string& tag) {
  return make_error(error_code::unsupported_language,
                    "the NLLB model has no language '" + tag + "'");
}

/// Right-pads rows of ids into a [rows, longest] batch with its mask.
generation_input pad_batch(const std::vector<const sentence_job*>& rows,
                           int64_t pad_id) {
  size_t longest = 0;
  for (const auto* row : rows)
    longest = std::max(longest, row->ids.size());
  auto count = static_cast<int64_t>(rows.size());
  auto ids =
      at::full({count, static_cast<int64_t>(longest)}, pad_id, at::kLong);
  auto mask = at::zeros({count, static_cast<int64_t>(longest)}, at::kLong);
  generation_input input;
  for (int64_t r = 0; r < count; ++r) {
    const auto& row = rows[r]->ids;
    auto length = static_cast<int64_t>(row.size());
    ids[r].narrow(0, 0, length).copy_(at::tensor(row, at::kLong));
    mask[r].narrow(0, 0, length).fill_(1);
    input.forced_first.push_back(rows[r]->target_id);
  }
  input.ids = ids;
  input.mask = mask;
  return input;
}

} // namespace

translator::translator(std::shared_ptr<const model_weights> weights,
                       std::shared_ptr<const nllb_tokenizer> tokenizer,
                       translator_options options)
    : model_(std::move(weights)), tokenizer_(std::move(tokenizer)),
      options_(options) {
}

std::vector<job_output>
translator::translate(const translation_batch& batch) const {
  c10::InferenceMode inference;
  if (options_.threads > 0)
    at::set_num_threads(options_.threads);
  std::vector<job_output> outputs(batch.jobs.size());
  std::vector<sentence_job> sentences;
  for (size_t j = 0; j < batch.jobs.size(); ++j) {
    const auto& job = batch.jobs[j];
    auto source = to_nllb_code(job.source_lang);
    auto target = to_nllb_code(job.target_lang);
    if (!source || !tokenizer_->language_id(*source)) {
      outputs[j].error = unsupported(job.source_lang);
      continue;
    }
    if (!target || !tokenizer_->language_id(*target)) {
      outputs[j].error = unsupported(job.target_lang);
      continue;
    }
    outputs[j].route = {job.source_lang, job.target_lang};
    // The same language, or nothing to say, needs no decoding.
    if (*source == *target || job.text.empty()) {
      outputs[j].text = job.text;
      if (*source == *target)
        outputs[j].route = {job.source_lang};
      continue;
    }
    sentences.push_back(
        {j,
         tokenizer_->encode(job.text, *source,
                            static_cast<size_t>(options_.max_source_tokens)),
         *tokenizer_->language_id(*target)});
  }
  // Similar lengths together keep padding, and so wasted compute, small.
  std::vector<const sentence_job*> order;
  for (const auto& sentence : sentences)
    order.push_back(&sentence);
  std::stable_sort(order.begin(), order.end(), [](auto* a, auto* b) {
    return a->ids.size() > b->ids.size();
  });
  auto chunk =
      static_cast<size_t>(std::max<int64_t>(options_.max_batch_sentences, 1));
  for (size_t first = 0; first < order.size(); first += chunk) {
    std::vector<const sentence_job*> rows(
        order.begin() + first,
        order.begin() + std::min(first + chunk, order.size()));
    auto decoded = generate(model_, pad_batch(rows, model_.config().pad_id),
                            options_.generation);
    for (size_t r = 0; r < rows.size(); ++r)
      outputs[rows[r]->job].text = tokenizer_->decode(decoded[r]);
  }
  return outputs;
}

language_routes translator::routes() const {
  language_routes result;
  for (const auto& code : tokenizer_->languages())
    result.languages.push_back(to_iso_tag(code));
  return result;
}

} // namespace parley::nllb

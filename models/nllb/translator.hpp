#pragma once

#include <memory>
#include <vector>

#include "messages/translation.hpp"
#include "models/nllb/generate.hpp"
#include "models/nllb/model.hpp"
#include "models/text/nllb_tokenizer.hpp"

namespace parley::nllb {

struct translator_options {
  generation_options generation;
  /// Source tokens kept per sentence, language code and </s> included.
  int64_t max_source_tokens = 512;
  /// Sentences decoded together; a request's sentences are sorted by length
  /// and cut into batches of at most this many.
  int64_t max_batch_sentences = 32;
  /// Intra-op threads for this model's inference; 0 keeps libtorch's.
  int threads = 0;
};

/// Sentences in, sentences out: language codes, tokenization and batched
/// decoding around the model. Each job is one sentence: the structure layer
/// above every backend (models/structured_translation.hpp) cuts texts.
class translator {
public:
  translator(std::shared_ptr<const model_weights> weights,
             std::shared_ptr<const nllb_tokenizer> tokenizer,
             translator_options options);

  /// Translates every job; all jobs are decoded as one batch, sorted by
  /// length (split by `max_batch_sentences`). A job with an unknown language
  /// gets UNSUPPORTED_LANGUAGE; the others are unaffected.
  std::vector<job_output> translate(const translation_batch& batch) const;

  /// The model's languages, as request tags where an ISO code exists.
  language_routes routes() const;

  const model& underlying_model() const {
    return model_;
  }

private:
  model model_;
  std::shared_ptr<const nllb_tokenizer> tokenizer_;
  translator_options options_;
};

} // namespace parley::nllb

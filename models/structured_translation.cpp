#include "models/structured_translation.hpp"

#include "models/text/text_structure.hpp"

namespace parley {

std::vector<job_output> translate_structured(translation_backend& backend,
                                             const translation_batch& batch) {
  std::vector<structured_text> texts;
  texts.reserve(batch.jobs.size());
  translation_batch sentences;
  // first[j]: the index of job j's first sentence in `sentences`.
  std::vector<size_t> first;
  for (const auto& job : batch.jobs) {
    texts.push_back(structured_text::parse(job.text, job.markup));
    first.push_back(sentences.jobs.size());
    auto pieces = texts.back().sentences();
    if (pieces.empty())
      pieces.emplace_back();
    for (auto& piece : pieces)
      sentences.jobs.push_back(
          {job.source_lang, job.target_lang, std::move(piece), job.priority});
  }
  first.push_back(sentences.jobs.size());
  auto translated = backend.translate(sentences);
  std::vector<job_output> outputs(batch.jobs.size());
  if (translated.size() != sentences.jobs.size())
    return translated; // the model actor refuses the wrong count
  for (size_t j = 0; j < batch.jobs.size(); ++j) {
    auto& output = outputs[j];
    output.route = translated[first[j]].route;
    std::vector<std::string> parts;
    for (size_t s = first[j]; s < first[j + 1]; ++s) {
      if (translated[s].error && !output.error)
        output.error = translated[s].error;
      parts.push_back(std::move(translated[s].text));
    }
    if (output.error) {
      output.route.clear();
      continue;
    }
    if (texts[j].sentences().empty())
      parts.clear();
    output.text = texts[j].rebuild(parts);
  }
  return outputs;
}

} // namespace parley

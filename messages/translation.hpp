#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/error.hpp>
#include <caf/meta/type_name.hpp>

#include "messages/detection.hpp"
#include "messages/fwd.hpp"

namespace parley {

/// Scheduling lane of a job. The pool always serves `interactive` before
/// `background` (audio-derived work).
enum class lane : uint8_t {
  interactive = 0,
  background = 1,
};

/// How a text is written, which decides what of it a model may translate.
enum class text_format : uint8_t {
  /// Chat text: mentions, hashtags, URLs, e-mail addresses, code spans,
  /// emoji and placeholders (`%s`, `{name}`) come back unchanged.
  plain = 0,
  /// HTML: text nodes are translated; tags and attributes come back byte for
  /// byte; `code`, `pre`, `script`, `style` and `translate="no"` are kept.
  html = 1,
  /// XML: as HTML, without HTML's inline and skipped elements.
  xml = 2,
};

/// The markup of a text and the elements left untranslated.
struct text_markup {
  text_format format = text_format::plain;
  /// Elements whose content is kept as is, besides the format's own.
  std::vector<std::string> ignore_tags;
};

/// A text to translate into one or more languages.
struct translate_request {
  /// Chosen by the caller and echoed in every event of this request.
  uint64_t id = 0;
  /// A model name or a model type (`basic`, `medium`, `premium`); empty
  /// selects the default model.
  std::string model;
  /// A language code, or "auto" (or empty) to detect it.
  std::string source_lang;
  std::vector<std::string> target_langs;
  std::string text;
  lane priority = lane::interactive;
  /// With `source_lang` "auto" (or empty): languages the text is likely in
  /// (the writer's, the conversation's), used when detection is unsure.
  std::vector<std::string> source_hints;
  text_markup markup{};
  /// Where the text was written: with "auto", the languages recently
  /// detected there weigh on short, ambiguous texts.
  conversation_keys conversation;
};

/// One target language of a request, translated.
struct translation {
  uint64_t request_id = 0;
  std::string target_lang;
  std::string text;
  /// Name of the configured model that produced the text.
  std::string model;
  /// Languages the text went through, e.g. {"fr", "es", "en"} for a pivot.
  std::vector<std::string> route;
  bool from_cache = false;
  /// Time spent waiting in the model's queue.
  uint32_t queue_us = 0;
  /// Time spent inside the model actor for the batch holding this text.
  uint32_t inference_us = 0;
  /// The language the text was translated from: the request's, or the
  /// detected one for "auto".
  std::string source_lang;
  /// How `source_lang` was decided; method `none` when the request named it.
  language_detection detection;
};

/// One target language of a request that failed, or the whole request when
/// `target_lang` is empty (for example a text that is too long).
struct translation_failure {
  uint64_t request_id = 0;
  std::string target_lang;
  caf::error reason;
};

/// Sent once per request, after all of its languages were answered.
struct translation_done {
  uint64_t request_id = 0;
  uint32_t completed = 0;
  uint32_t failed = 0;
};

/// One text, one language pair: the unit of work of a model.
struct translation_job {
  std::string source_lang;
  std::string target_lang;
  std::string text;
  lane priority = lane::interactive;
  text_markup markup{};
};

/// What a model actor receives.
struct translation_batch {
  std::vector<translation_job> jobs;
};

/// What a backend produces for one job: a text and its route, or an error.
struct job_output {
  std::string text;
  std::vector<std::string> route;
  caf::error error;
};

/// What a model actor answers: one output per job, in order.
struct batch_output {
  std::vector<job_output> outputs;
  uint32_t inference_us = 0;
};

/// What the pool answers for one job.
struct job_result {
  std::string text;
  std::vector<std::string> route;
  uint32_t queue_us = 0;
  uint32_t inference_us = 0;
};

/// A language pair a model can translate, and how.
struct language_route {
  std::string source_lang;
  std::string target_lang;
  /// Languages visited, source and target included; longer than two for a
  /// pivot.
  std::vector<std::string> via;
};

/// The pairs a model translates: the listed routes, or, when there are
/// none, every pair among `languages` (both empty: any pair).
struct language_routes {
  std::vector<language_route> routes;
  std::vector<std::string> languages;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, text_markup& x) {
  return f(caf::meta::type_name("text_markup"), x.format, x.ignore_tags);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, language_route& x) {
  return f(caf::meta::type_name("language_route"), x.source_lang, x.target_lang,
           x.via);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, language_routes& x) {
  return f(caf::meta::type_name("language_routes"), x.routes, x.languages);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, translate_request& x) {
  return f(caf::meta::type_name("translate_request"), x.id, x.model,
           x.source_lang, x.target_langs, x.text, x.priority, x.source_hints,
           x.markup, x.conversation);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, translation& x) {
  return f(caf::meta::type_name("translation"), x.request_id, x.target_lang,
           x.text, x.model, x.route, x.from_cache, x.queue_us, x.inference_us,
           x.source_lang, x.detection);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, translation_failure& x) {
  return f(caf::meta::type_name("translation_failure"), x.request_id,
           x.target_lang, x.reason);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, translation_done& x) {
  return f(caf::meta::type_name("translation_done"), x.request_id, x.completed,
           x.failed);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, translation_job& x) {
  return f(caf::meta::type_name("translation_job"), x.source_lang,
           x.target_lang, x.text, x.priority, x.markup);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, translation_batch& x) {
  return f(caf::meta::type_name("translation_batch"), x.jobs);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, job_output& x) {
  return f(caf::meta::type_name("job_output"), x.text, x.route, x.error);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, batch_output& x) {
  return f(caf::meta::type_name("batch_output"), x.outputs, x.inference_us);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, job_result& x) {
  return f(caf::meta::type_name("job_result"), x.text, x.route, x.queue_us,
           x.inference_us);
}

} // namespace parley

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "messages/fwd.hpp"

namespace parley {

/// Speech to transcribe: 16 kHz mono samples in [-1, 1].
struct transcribe_request {
  uint64_t id = 0;
  std::string model;
  /// Expected language, or empty to detect it.
  std::string language;
  std::vector<float> samples;
};

struct transcript_segment {
  std::string text;
  uint32_t start_ms = 0;
  uint32_t end_ms = 0;
  float confidence = 0;
};

/// The text of a recording.
struct transcription {
  uint64_t request_id = 0;
  std::string text;
  std::string language;
  float confidence = 0;
  uint32_t duration_ms = 0;
  std::string model;
  std::vector<transcript_segment> segments;
};

/// A text to speak.
struct synthesize_request {
  uint64_t id = 0;
  std::string language;
  std::string text;
};

/// Synthesized speech: 16-bit mono PCM.
struct synthesis {
  uint64_t request_id = 0;
  std::string language;
  uint32_t sample_rate = 0;
  std::vector<int16_t> samples;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, transcribe_request& x) {
  return f(caf::meta::type_name("transcribe_request"), x.id, x.model,
           x.language, x.samples);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, transcript_segment& x) {
  return f(caf::meta::type_name("transcript_segment"), x.text, x.start_ms,
           x.end_ms, x.confidence);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, transcription& x) {
  return f(caf::meta::type_name("transcription"), x.request_id, x.text,
           x.language, x.confidence, x.duration_ms, x.model, x.segments);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, synthesize_request& x) {
  return f(caf::meta::type_name("synthesize_request"), x.id, x.language,
           x.text);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, synthesis& x) {
  return f(caf::meta::type_name("synthesis"), x.request_id, x.language,
           x.sample_rate, x.samples);
}

} // namespace parley

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/error.hpp>
#include <caf/meta/type_name.hpp>

#include "messages/detection.hpp"
#include "messages/fwd.hpp"

namespace parley {

/// A stretch of a recording to transcribe: 16 kHz mono samples in
/// [-1, 1]. Long recordings are cut into windows so that each is one message
/// to the model actor and other work interleaves.
struct audio_window {
  std::vector<float> samples;
  /// Where the window starts in the recording; segment times include it.
  uint32_t offset_ms = 0;
  /// The expected language (ISO 639-1), or empty to detect it.
  std::string language;
  /// Segments with start and end times; otherwise one segment per window.
  bool timestamps = true;
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
  /// Read from the audio cache: no recognizer ran.
  bool from_cache = false;
  /// How `language` was decided: method `none` when the request named it.
  language_detection detection;
};

/// A text to speak.
struct synthesize_request {
  uint64_t id = 0;
  std::string language;
  std::string text;
  /// Speaking rate against the model's own: 0.5 is half as fast, 2 twice.
  float speed = 1.0f;
};

/// Synthesized speech: 16-bit mono PCM.
struct synthesis {
  uint64_t request_id = 0;
  std::string language;
  uint32_t sample_rate = 0;
  std::vector<int16_t> samples;
};

/// A recording for the audio pipeline: transcribe it, and for each target
/// language translate the text and speak it.
struct audio_request {
  /// Chosen by the caller and echoed in every event of this request.
  uint64_t id = 0;
  /// The recording as it arrived, in any format FFmpeg reads.
  std::string audio;
  /// Language spoken, or empty to detect it.
  std::string language;
  /// Empty: transcription only.
  std::vector<std::string> target_langs;
  /// Translation model type or name, as for text.
  std::string model_type;
  /// Audio format of the spoken translations: wav, opus or mp3.
  std::string output_format = "wav";
  /// A transcription made on the phone; when set, no recognizer runs.
  std::string mobile_text;
  std::string mobile_language;
  float mobile_confidence = 1;
  std::vector<transcript_segment> mobile_segments;
};

/// A recording decoded to 16 kHz mono.
struct decoded_speech {
  std::vector<float> samples;
  std::string format;
  uint32_t duration_ms = 0;
};

/// Synthesized speech encoded for a reply.
struct encoded_speech {
  std::string bytes;
  std::string mime_type;
  uint32_t duration_ms = 0;
};

/// How far recognition has come: sent after each window.
struct audio_progress {
  uint64_t request_id = 0;
  uint32_t done_ms = 0;
  uint32_t total_ms = 0;
};

/// The recording's text, first event of an audio request.
struct audio_transcribed {
  uint64_t request_id = 0;
  transcription result;
};

/// One target language of an audio request: its text and spoken audio, or
/// the error that stopped it.
struct audio_translated {
  uint64_t request_id = 0;
  std::string target_lang;
  std::string text;
  encoded_speech speech;
  caf::error error;
  /// Target languages of the request, and how many are still open after
  /// this one.
  uint32_t total = 0;
  uint32_t remaining = 0;
  /// Read from the audio cache: no translation or synthesis ran.
  bool from_cache = false;
};

/// Last event of an audio request. `error` is set when the request failed
/// as a whole (no audio, undecodable, not transcribed, every language
/// failed).
struct audio_done {
  uint64_t request_id = 0;
  uint32_t completed = 0;
  uint32_t failed = 0;
  caf::error error;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, audio_window& x) {
  return f(caf::meta::type_name("audio_window"), x.samples, x.offset_ms,
           x.language, x.timestamps);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, audio_request& x) {
  return f(caf::meta::type_name("audio_request"), x.id, x.audio, x.language,
           x.target_langs, x.model_type, x.output_format, x.mobile_text,
           x.mobile_language, x.mobile_confidence, x.mobile_segments);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, decoded_speech& x) {
  return f(caf::meta::type_name("decoded_speech"), x.samples, x.format,
           x.duration_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, encoded_speech& x) {
  return f(caf::meta::type_name("encoded_speech"), x.bytes, x.mime_type,
           x.duration_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, audio_progress& x) {
  return f(caf::meta::type_name("audio_progress"), x.request_id, x.done_ms,
           x.total_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, audio_transcribed& x) {
  return f(caf::meta::type_name("audio_transcribed"), x.request_id, x.result);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, audio_translated& x) {
  return f(caf::meta::type_name("audio_translated"), x.request_id,
           x.target_lang, x.text, x.speech, x.error, x.total, x.remaining,
           x.from_cache);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, audio_done& x) {
  return f(caf::meta::type_name("audio_done"), x.request_id, x.completed,
           x.failed, x.error);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, transcript_segment& x) {
  return f(caf::meta::type_name("transcript_segment"), x.text, x.start_ms,
           x.end_ms, x.confidence);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, transcription& x) {
  return f(caf::meta::type_name("transcription"), x.request_id, x.text,
           x.language, x.confidence, x.duration_ms, x.model, x.segments,
           x.from_cache, x.detection);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, synthesize_request& x) {
  return f(caf::meta::type_name("synthesize_request"), x.id, x.language, x.text,
           x.speed);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, synthesis& x) {
  return f(caf::meta::type_name("synthesis"), x.request_id, x.language,
           x.sample_rate, x.samples);
}

} // namespace parley

#pragma once

// The answers of OpenAI's /v1/audio/transcriptions and /translations, as
// pure functions of a transcript: JSON, plain text, SubRip, WebVTT and the
// verbose JSON with segments.

#include <optional>
#include <string>
#include <vector>

#include "messages/speech.hpp"

namespace parley {

/// What one answer says.
struct transcript_view {
  /// "transcribe" or "translate".
  std::string task;
  /// ISO 639-1 code of `text`.
  std::string language;
  double duration_s = 0;
  std::string text;
  /// Times in the recording; an empty list answers one segment spanning it.
  std::vector<transcript_segment> segments;
  /// Echoed in each verbose segment.
  double temperature = 0;
  /// Each segment is one word, timed: verbose_json also lists them as
  /// `words: [{word, start, end}]` (`timestamp_granularities[]=word`).
  bool words = false;
};

/// OpenAI's `response_format` values for speech to text.
enum class transcript_format { json, text, srt, vtt, verbose_json };

/// The format named `name`; none for another name.
std::optional<transcript_format>
transcript_format_named(const std::string& name);

struct rendered_transcript {
  std::string body;
  std::string content_type;
};

/// `view` written as `format`:
/// - json: `{"text"}`;
/// - text: the text and a newline;
/// - srt and vtt: one cue per segment;
/// - verbose_json: `{task, language (its English name, lowercase), duration,
///   text, segments: [{id, seek, start, end, text, tokens, temperature,
///   avg_logprob, compression_ratio, no_speech_prob, confidence}]}`. Whisper's
///   decoding statistics have no counterpart here: tokens are empty,
///   avg_logprob is the log of the recognizer's confidence (0 when it gives
///   none), compression_ratio 1 and no_speech_prob 0; plus `words` when
///   `view.words`.
rendered_transcript render_transcript(const transcript_view& view,
                                      transcript_format format);

/// `milliseconds` as `HH:MM:SS<separator>mmm`, SubRip's `,` or WebVTT's `.`.
std::string cue_time(uint32_t milliseconds, char separator);

} // namespace parley

#include "io/http/openai_transcripts.hpp"

#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "io/gateway/language_names.hpp"
#include "io/http/http_errors.hpp"
#include "io/http/served_languages.hpp"

namespace parley {

namespace {

using nlohmann::json;

constexpr auto plain_type = "text/plain; charset=utf-8";
constexpr auto vtt_type = "text/vtt; charset=utf-8";

std::vector<transcript_segment> segments_of(const transcript_view& view) {
  if (!view.segments.empty())
    return view.segments;
  auto end_ms = static_cast<uint32_t>(std::lround(view.duration_s * 1000));
  return {{view.text, 0, end_ms, 0}};
}

double seconds(uint32_t milliseconds) {
  return milliseconds / 1000.0;
}

std::string cues(const transcript_view& view, bool numbered, char separator) {
  std::string out = numbered ? "" : "WEBVTT\n\n";
  size_t index = 0;
  for (const auto& segment : segments_of(view)) {
    if (numbered)
      out += std::to_string(++index) + "\n";
    out += cue_time(segment.start_ms, separator) + " --> "
           + cue_time(segment.end_ms, separator) + "\n" + segment.text + "\n\n";
  }
  return out;
}

json verbose(const transcript_view& view) {
  auto segments = json::array();
  int id = 0;
  for (const auto& segment : segments_of(view))
    segments.push_back(
        {{"id", id++},
         // Whisper counts its seek in 10 ms frames.
         {"seek", segment.start_ms / 10},
         {"start", seconds(segment.start_ms)},
         {"end", seconds(segment.end_ms)},
         {"text", segment.text},
         {"tokens", json::array()},
         {"temperature", view.temperature},
         {"avg_logprob",
          segment.confidence > 0 ? std::log(segment.confidence) : 0.0},
         {"compression_ratio", 1.0},
         {"no_speech_prob", 0.0},
         {"confidence", segment.confidence}});
  json answer{{"task", view.task},
              {"language", ascii_lower(name_of_language(view.language).name)},
              {"duration", view.duration_s},
              {"text", view.text},
              {"segments", std::move(segments)}};
  if (view.words) {
    auto words = json::array();
    for (const auto& segment : view.segments)
      if (!segment.text.empty())
        words.push_back({{"word", segment.text},
                         {"start", seconds(segment.start_ms)},
                         {"end", seconds(segment.end_ms)}});
    answer["words"] = std::move(words);
  }
  return answer;
}

} // namespace

std::optional<transcript_format>
transcript_format_named(const std::string& name) {
  if (name == "json")
    return transcript_format::json;
  if (name == "text")
    return transcript_format::text;
  if (name == "srt")
    return transcript_format::srt;
  if (name == "vtt")
    return transcript_format::vtt;
  if (name == "verbose_json")
    return transcript_format::verbose_json;
  return std::nullopt;
}

std::string cue_time(uint32_t milliseconds, char separator) {
  char out[32];
  std::snprintf(out, sizeof out, "%02u:%02u:%02u%c%03u",
                milliseconds / 3'600'000, milliseconds / 60'000 % 60,
                milliseconds / 1000 % 60, separator, milliseconds % 1000);
  return out;
}

rendered_transcript render_transcript(const transcript_view& view,
                                      transcript_format format) {
  switch (format) {
  case transcript_format::text:
    return {view.text + "\n", plain_type};
  case transcript_format::srt:
    return {cues(view, /*numbered=*/true, ','), plain_type};
  case transcript_format::vtt:
    return {cues(view, /*numbered=*/false, '.'), vtt_type};
  case transcript_format::verbose_json:
    return {verbose(view).dump(), json_type};
  case transcript_format::json:
  default:
    return {json{{"text", view.text}}.dump(), json_type};
  }
}

} // namespace parley

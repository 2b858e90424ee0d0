#include "actors/audio_handler.hpp"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/audio_cache.hpp"
#include "actors/request_validation.hpp"
#include "messages/audio_cache_types.hpp"
#include "messages/error_code.hpp"
#include "messages/translation.hpp"

namespace parley {

namespace {

constexpr int sample_rate = 16000;

struct audio_state {
  audio_context ctx;
  decoded_speech audio;
  transcription heard;
  size_t next_window = 0;
  size_t windows = 0;
  /// Target languages not answered yet.
  std::vector<std::string> open;
  uint32_t total = 0;
  uint32_t completed = 0;
  uint32_t failed = 0;
  bool finished = false;
  /// Key of this recording in the audio cache; empty: not cached.
  std::string audio_hash;
  /// Speech lookups still unanswered, and the languages they missed.
  size_t speech_lookups = 0;
  std::vector<std::string> to_translate;

  static inline const char* name = "audio_handler";
};

using audio_pointer = audio_handler_actor::stateful_pointer<audio_state>;

void finish(audio_pointer self, caf::error error = {}) {
  auto& st = self->state;
  if (st.finished)
    return;
  st.finished = true;
  if (!error && !st.ctx.request.target_langs.empty() && st.completed == 0
      && st.failed > 0)
    error = make_error(error_code::translation_failed,
                       "every target language failed");
  self->send(st.ctx.sink,
             audio_done{st.ctx.request.id, st.completed, st.failed, error});
  self->send(st.ctx.router, done_atom::value, st.ctx.handler_id,
             !error && st.failed == 0);
  self->quit();
}

void settle(audio_pointer self, const std::string& lang, std::string text,
            encoded_speech speech, caf::error error, bool from_cache = false) {
  auto& st = self->state;
  auto i = std::find(st.open.begin(), st.open.end(), lang);
  if (i == st.open.end())
    return;
  st.open.erase(i);
  ++(error ? st.failed : st.completed);
  self->send(st.ctx.sink,
             audio_translated{st.ctx.request.id, lang, std::move(text),
                              std::move(speech), std::move(error), st.total,
                              static_cast<uint32_t>(st.open.size()),
                              from_cache});
  if (st.open.empty())
    finish(self);
}

bool caching(const audio_state& st) {
  return st.ctx.audio_cache && !st.audio_hash.empty();
}

speech_key speech_key_for(const audio_state& st, const std::string& lang) {
  const auto& request = st.ctx.request;
  auto variant =
      (request.model_type.empty() ? std::string{"default"} : request.model_type)
      + ":" + st.ctx.voice + ":" + request.output_format;
  return {st.audio_hash, normalize_language_tag(lang), std::move(variant)};
}

/// Speaks a translation, encodes it, and publishes the language.
void speak(audio_pointer self, const std::string& lang, std::string text) {
  auto& st = self->state;
  if (!st.ctx.synthesizer) {
    settle(self, lang, std::move(text), {},
           make_error(error_code::model_unavailable,
                      "no speech synthesizer is configured"));
    return;
  }
  synthesize_request request{st.ctx.request.id, lang, text};
  self->request(st.ctx.synthesizer, caf::infinite, synthesize_atom::value,
                std::move(request))
      .then(
          [self, lang, text](synthesis& spoken) {
            auto& st = self->state;
            self->request(st.ctx.codec, caf::infinite, encode_atom::value,
                          std::move(spoken), st.ctx.request.output_format)
                .then(
                    [self, lang, text](encoded_speech& speech) {
                      auto& st = self->state;
                      if (caching(st))
                        self->send(st.ctx.audio_cache, store_atom::value,
                                   speech_key_for(st, lang),
                                   cached_speech{true, text, speech});
                      settle(self, lang, text, std::move(speech), {});
                    },
                    [self, lang, text](caf::error& err) {
                      settle(self, lang, text, {}, std::move(err));
                    });
          },
          [self, lang, text](caf::error& err) {
            settle(self, lang, text, {}, std::move(err));
          });
}

/// Sends the languages in `to_translate` to the router.
void translate_open(audio_pointer self) {
  auto& st = self->state;
  if (st.to_translate.empty())
    return;
  translate_request request;
  request.id = st.ctx.request.id;
  request.model = st.ctx.request.model_type;
  request.source_lang = st.heard.language;
  request.target_langs = std::move(st.to_translate);
  request.text = st.heard.text;
  request.priority = lane::background;
  self->send(st.ctx.router, std::move(request),
             caf::actor_cast<translation_sink>(self));
}

void on_speech_lookup(audio_pointer self, const std::string& lang,
                      cached_speech& cached) {
  auto& st = self->state;
  if (cached.found)
    settle(self, lang, std::move(cached.text), std::move(cached.speech), {},
           /*from_cache=*/true);
  else
    st.to_translate.push_back(lang);
  if (--st.speech_lookups == 0 && !st.finished)
    translate_open(self);
}

/// Publishes the transcription and starts the translations.
/// How the spoken language was decided: named by the request, by the
/// phone's transcription, or identified by the recognizer.
language_detection spoken_language_detection(const audio_request& request,
                                             const transcription& heard) {
  language_detection detection;
  detection.language = heard.language;
  if (!request.language.empty() && request.mobile_language.empty())
    return detection; // named: method none
  detection.confidence = heard.confidence;
  if (heard.model == "mobile") {
    detection.method = detection_method::hint;
    detection.note = "the phone's transcription named its language";
  } else {
    detection.method = heard.language.empty() ? detection_method::undetermined
                                              : detection_method::detector;
    detection.detector_guess = heard.language;
    detection.note = "the recognizer " + heard.model
                     + " identified the spoken language; the confidence is "
                       "its recognition's";
  }
  return detection;
}

void transcribed(audio_pointer self) {
  auto& st = self->state;
  auto& heard = st.heard;
  heard.request_id = st.ctx.request.id;
  heard.duration_ms = st.audio.duration_ms;
  if (!heard.from_cache || heard.detection.language.empty())
    heard.detection = spoken_language_detection(st.ctx.request, heard);
  // The samples are not needed again; translation and speech take minutes.
  std::vector<float>().swap(st.audio.samples);
  self->send(st.ctx.sink, audio_transcribed{st.ctx.request.id, heard});
  auto spoken = normalize_language_tag(heard.language);
  for (const auto& target : st.ctx.request.target_langs) {
    // The spoken language needs no translation; spellings of one language
    // ("ES", "es") count once, as the translation handler counts them.
    auto name_of = [](const std::string& tag) {
      auto normalized = normalize_language_tag(tag);
      return normalized.empty() ? tag : normalized;
    };
    auto normalized = name_of(target);
    auto same = [&](const std::string& open) {
      return name_of(open) == normalized;
    };
    if (normalized == spoken
        || std::any_of(st.open.begin(), st.open.end(), same))
      continue;
    st.open.push_back(target);
  }
  st.total = static_cast<uint32_t>(st.open.size());
  if (st.open.empty())
    return finish(self);
  if (!caching(st)) {
    st.to_translate = st.open;
    return translate_open(self);
  }
  // Languages spoken before come from the cache; the rest are translated.
  st.speech_lookups = st.open.size();
  for (const auto& lang : st.open)
    self->request(st.ctx.audio_cache, caf::infinite, lookup_atom::value,
                  speech_key_for(st, lang))
        .then(
            [self, lang](cached_speech& cached) {
              on_speech_lookup(self, lang, cached);
            },
            [self, lang](caf::error&) {
              cached_speech miss;
              on_speech_lookup(self, lang, miss);
            });
}

void transcribe_next(audio_pointer self);

void on_window(audio_pointer self, transcription& part) {
  auto& st = self->state;
  auto& heard = st.heard;
  if (!part.text.empty()) {
    if (!heard.text.empty())
      heard.text += ' ';
    heard.text += part.text;
  }
  if (heard.language.empty())
    heard.language = part.language;
  heard.model = part.model;
  // Confidence weighted by the share of the recording each window covers.
  heard.confidence += part.confidence / static_cast<float>(st.windows);
  for (auto& segment : part.segments)
    heard.segments.push_back(std::move(segment));
  auto window_ms = static_cast<uint32_t>(st.ctx.window_seconds * 1000);
  self->send(st.ctx.sink,
             audio_progress{
                 st.ctx.request.id,
                 std::min(st.audio.duration_ms,
                          static_cast<uint32_t>(st.next_window) * window_ms),
                 st.audio.duration_ms});
  transcribe_next(self);
}

/// Sends the next window, or moves on once every window is transcribed. One
/// window at a time keeps the recognizer's queue fair to other requests.
void transcribe_next(audio_pointer self) {
  auto& st = self->state;
  auto window_samples =
      static_cast<size_t>(st.ctx.window_seconds * sample_rate);
  if (window_samples == 0)
    window_samples = st.audio.samples.size();
  auto begin = st.next_window * window_samples;
  if (begin >= st.audio.samples.size() && st.next_window > 0) {
    if (st.heard.text.empty())
      return finish(self, make_error(error_code::transcription_failed,
                                     "no speech was recognized"));
    if (caching(st)) {
      auto heard = st.heard;
      heard.duration_ms = st.audio.duration_ms;
      self->send(st.ctx.audio_cache, store_atom::value,
                 transcript_key{st.audio_hash}, std::move(heard));
    }
    return transcribed(self);
  }
  auto end = std::min(begin + window_samples, st.audio.samples.size());
  audio_window window;
  window.samples.assign(st.audio.samples.begin() + begin,
                        st.audio.samples.begin() + end);
  window.offset_ms = static_cast<uint32_t>(begin * 1000 / sample_rate);
  window.language = st.ctx.request.language.empty() ? st.heard.language
                                                    : st.ctx.request.language;
  ++st.next_window;
  self->request(st.ctx.transcriber, caf::infinite, transcribe_atom::value,
                std::move(window))
      .then([self](transcription& part) { on_window(self, part); },
            [self](caf::error& err) { finish(self, std::move(err)); });
}

void decode_and_transcribe(audio_pointer self);

void start(audio_pointer self) {
  auto& st = self->state;
  const auto& request = st.ctx.request;
  if (st.ctx.audio_cache && !request.audio.empty())
    st.audio_hash = audio_hash(request.audio);
  if (!request.mobile_text.empty()) {
    st.heard.text = request.mobile_text;
    st.heard.language = request.mobile_language.empty()
                            ? request.language
                            : request.mobile_language;
    st.heard.model = "mobile";
    st.heard.confidence = request.mobile_confidence;
    st.heard.segments = request.mobile_segments;
    return transcribed(self);
  }
  if (!caching(st))
    return decode_and_transcribe(self);
  self->request(st.ctx.audio_cache, caf::infinite, lookup_atom::value,
                transcript_key{st.audio_hash})
      .then(
          [self](cached_transcript& cached) {
            if (!cached.found)
              return decode_and_transcribe(self);
            auto& st = self->state;
            st.heard = std::move(cached.value);
            st.heard.from_cache = true;
            st.audio.duration_ms = st.heard.duration_ms;
            transcribed(self);
          },
          [self](caf::error&) { decode_and_transcribe(self); });
}

void decode_and_transcribe(audio_pointer self) {
  auto& st = self->state;
  if (!st.ctx.transcriber)
    return finish(self, make_error(error_code::model_unavailable,
                                   "no speech recognizer is configured"));
  // Nothing reads the encoded recording after this.
  self->request(st.ctx.codec, caf::infinite, decode_atom::value,
                std::move(st.ctx.request.audio))
      .then(
          [self](decoded_speech& audio) {
            auto& st = self->state;
            st.audio = std::move(audio);
            auto window_samples = st.ctx.window_seconds * sample_rate;
            st.windows = window_samples > 0 ? static_cast<size_t>(std::ceil(
                             st.audio.samples.size() / window_samples))
                                            : 1;
            st.windows = std::max<size_t>(st.windows, 1);
            transcribe_next(self);
          },
          [self](caf::error& err) { finish(self, std::move(err)); });
}

} // namespace

audio_handler_actor spawn_audio_handler(caf::actor_system& sys,
                                        audio_context context) {
  auto init = [](audio_pointer self,
                 audio_context context) -> audio_handler_actor::behavior_type {
    self->state.ctx = std::move(context);
    start(self);
    return {
        [self](translation& result) {
          speak(self, result.target_lang, std::move(result.text));
        },
        [self](translation_failure& failure) {
          if (!failure.target_lang.empty()) {
            settle(self, failure.target_lang, {}, {},
                   std::move(failure.reason));
            return;
          }
          auto open = self->state.open;
          for (const auto& lang : open)
            settle(self, lang, {}, {}, failure.reason);
        },
        [](const translation_done&) {},
        [self](expire_atom) {
          auto reason = make_error(error_code::timeout,
                                   "the audio request did not finish in time");
          auto open = self->state.open;
          for (const auto& lang : open)
            settle(self, lang, {}, {}, reason);
          finish(self, reason);
        },
    };
  };
  return sys.spawn(init, std::move(context));
}

} // namespace parley

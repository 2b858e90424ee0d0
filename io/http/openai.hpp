#pragma once

#include <chrono>
#include <string>

#include <caf/fwd.hpp>
#include <httplib.h>

#include "io/http/http_backend.hpp"

namespace parley {

/// OpenAI's audio API (platform.openai.com/docs/api-reference/audio) on
/// Parley's router, under `/v1`, as OpenAI's SDKs send it:
/// - `GET /v1/models` and `/v1/models/{id}`: the configured models by name,
///   and OpenAI's own ids for the recognizer (`whisper-1`,
///   `gpt-4o-transcribe`, `gpt-4o-mini-transcribe`) and the synthesizer
///   (`tts-1`, `tts-1-hd`, `gpt-4o-mini-tts`);
/// - `POST /v1/audio/transcriptions`, multipart: `file`, `model`,
///   `language`, `response_format` (json, text, srt, vtt, verbose_json),
///   `timestamp_granularities[]` (segment); `prompt` and `temperature` are
///   accepted and do not change the answer;
/// - `POST /v1/audio/translations`: the same, then the transcript translated
///   into English, or into Parley's `target_language`;
/// - `POST /v1/audio/speech`, JSON: `input`, `model`, `voice` (OpenAI's
///   names, each an espeak-ng English accent), `response_format` (mp3, opus,
///   aac, flac, wav, pcm), `speed` (the speaking rate), and Parley's
///   `language` for text that is not English; spoken on the synthesizer's
///   pool and encoded by the codec, within `backend.speech_timeout`.
/// Errors are `{error: {message, type, param, code}}` with OpenAI's statuses,
/// for every `/v1` path. Keys are `backend.keys`' (`Authorization: Bearer
/// KEY`): 401 `invalid_api_key` for a missing or wrong one, 429
/// `rate_limit_exceeded` over a limit.
/// `status_timeout` bounds the wait for the admin actor's model list.
void install_openai_routes(httplib::Server& server, caf::actor_system& sys,
                           const http_backend& backend,
                           std::chrono::milliseconds status_timeout);

} // namespace parley

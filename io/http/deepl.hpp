#pragma once

#include <chrono>

#include <caf/fwd.hpp>

#include "io/http/http_backend.hpp"

namespace httplib {
class Server;
} // namespace httplib

namespace parley {

/// DeepL's API v2 (developers.deepl.com) on Parley's router, under `/v2`:
/// what Immersive Translate, Zotero and DeepL's own client libraries speak.
/// - `POST /v2/translate`, form or JSON: `text` (repeated or a list),
///   `target_lang` (`EN-US`, `EN-GB`, `PT-BR` and `PT-PT` map to `en` and
///   `pt`), `source_lang`; `tag_handling`, `ignore_tags`,
///   `split_sentences`, `preserve_formatting`, `context`, `formality` and
///   `glossary_id` are accepted and do not change the answer yet. Answers
///   `{translations: [{detected_source_language, text}]}`.
/// - `GET` or `POST /v2/languages?type=source|target`.
/// - `GET` or `POST /v2/usage`: `{character_count, character_limit}`: the
///   key's characters today against its daily limit; with no keys
///   configured, the characters submitted since the server started, against
///   no limit.
/// Errors are `{message}` with DeepL's statuses. The key (`Authorization:
/// DeepL-Auth-Key KEY`, or the legacy `auth_key` field) is checked as
/// `admit_key` does: 403 for a missing or wrong one, 429 with `Retry-After`
/// over a limit.
void install_deepl_routes(httplib::Server& server, caf::actor_system& sys,
                          const http_backend& backend,
                          std::chrono::milliseconds status_timeout);

} // namespace parley

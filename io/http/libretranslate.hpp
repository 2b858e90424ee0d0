#pragma once

#include <string>

#include <caf/fwd.hpp>

#include "io/http/http_backend.hpp"
#include "messages/fwd.hpp"

namespace httplib {
struct Request;
struct Response;
} // namespace httplib

namespace parley {

/// LibreTranslate's API (as LibreTranslate 1.9 serves it), on Parley's
/// router: what Mastodon, Discourse, Weblate and browser add-ons speak.
/// Bodies are JSON, form-encoded or multipart alike (see request_fields).
///
/// `/translate` and `/detect` are shared with Parley's own routes; a request
/// is LibreTranslate's when `is_libretranslate_request` says so.

/// True for a form or multipart body, or a JSON object with `q`: Parley's
/// own bodies carry `text` instead.
bool is_libretranslate_request(const httplib::Request& req);

/// `POST /translate`: `q` (a text or a list), `source` (a code or `auto`),
/// `target`, `format` (`text` or `html`), `alternatives`, `api_key`. Every
/// text goes to the router at once, so the pool batches them; each is
/// detected on its own. Answers `translatedText` (a text or a list, as `q`
/// was) and, for `auto`, `detectedLanguage` (`{language, confidence}` with
/// confidence 0 to 100, one per text for a list).
void libretranslate_translate(caf::actor_system& sys,
                              const http_backend& backend,
                              const httplib::Request& req,
                              httplib::Response& res);

/// `POST /translate_file`: a multipart `file` (`.txt`, `.html`, `.htm` or
/// `.srt`, UTF-8), `source` (a code or `auto`), `target`, `api_key`. Its
/// texts (an HTML file's as markup, a subtitle file's cue text only) go to
/// the router at once, cut to the text limit where longer; the translation
/// is kept in `backend.files` and the answer is `{translatedFileUrl}`, a
/// `/download_file/` link on the request's host.
void libretranslate_translate_file(caf::actor_system& sys,
                                   const http_backend& backend,
                                   const httplib::Request& req,
                                   httplib::Response& res);

/// `GET /download_file/<key>`: the file `/translate_file` kept under `key`,
/// as an attachment; 404 once it expired or was dropped.
void libretranslate_download_file(const http_backend& backend,
                                  const std::string& key,
                                  httplib::Response& res);

/// `POST /detect`: `[{language, confidence}]` for `q`.
void libretranslate_detect(const http_backend& backend,
                           const httplib::Request& req, httplib::Response& res);

/// `GET /languages`: `[{code, name, targets}]`, from the translation models
/// loaded now.
void libretranslate_languages(const server_status& status,
                              httplib::Response& res);

/// `GET /frontend/settings`: what LibreTranslate's web page and clients read
/// first (the character limit, whether keys are needed, the default pair).
void libretranslate_settings(const http_backend& backend,
                             const server_status& status,
                             httplib::Response& res);

} // namespace parley

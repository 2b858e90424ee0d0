#include "io/gateway/session_text.hpp"

#include <algorithm>

#include <caf/actor_cast.hpp>

#include "actors/request_validation.hpp"
#include "io/gateway/gateway_protocol.hpp"
#include "io/gateway/session_context.hpp"
#include "messages/error_code.hpp"

namespace parley {

namespace {

constexpr const char* story_type = "story_text_object_translation";

} // namespace

std::vector<std::string>
session_text::uncovered(const gateway_translate& request) {
  std::vector<std::string> result = request.target_langs;
  auto task = by_task_.find(request.task_key);
  if (task == by_task_.end())
    return result;
  for (auto id : task->second) {
    const auto& pending = by_request_[id].pending;
    result.erase(std::remove_if(result.begin(), result.end(),
                                [&](const std::string& lang) {
                                  return std::find(pending.begin(),
                                                   pending.end(), lang)
                                         != pending.end();
                                }),
                 result.end());
  }
  return result;
}

void session_text::on_translate(gateway_translate& request) {
  auto& counters = context_.counters;
  // A request naming no language goes on, so that the router refuses it.
  if (request.type != story_type && !request.target_langs.empty()) {
    auto targets = uncovered(request);
    if (targets.empty()) {
      ++counters.resent_merged;
      return; // the task in flight answers these languages
    }
    if (targets.size() < request.target_langs.size())
      ++counters.resent_merged;
    request.target_langs = std::move(targets);
  }
  auto id = context_.next_request_id();
  translate_request work{id,
                         request.model_type,
                         request.source_lang,
                         request.target_langs,
                         request.text,
                         lane::interactive,
                         request.source_hints,
                         {},
                         request.conversation};
  by_task_[request.task_key].push_back(id);
  by_request_.emplace(
      id, task_entry{std::move(request), work.target_langs, {}, {}, {}});
  auto* self = context_.self;
  self->send(context_.setup.router, std::move(work),
             caf::actor_cast<translation_sink>(self));
}

void session_text::on_translation(translation& result) {
  auto entry = by_request_.find(result.request_id);
  if (entry == by_request_.end()
      || !take(entry->second.pending, result.target_lang))
    return;
  if (entry->second.request.type == story_type) {
    entry->second.story.emplace_back(result.target_lang, result.text);
    entry->second.source = std::move(result);
    return;
  }
  context_.publish(encode_translation_completed(
      entry->second.request, result, context_.setup.identity, unix_seconds()));
}

void session_text::on_failure(translation_failure& failure) {
  auto entry = by_request_.find(failure.request_id);
  if (entry == by_request_.end())
    return;
  auto& task = entry->second;
  std::vector<std::string> failed;
  if (failure.target_lang.empty()) {
    // The request was refused as a whole: every language it named, or one
    // event without a language when it named none.
    failed.swap(task.pending);
    if (failed.empty())
      failed.emplace_back();
  } else if (take(task.pending, failure.target_lang))
    failed.push_back(failure.target_lang);
  if (task.request.type == story_type) {
    for (const auto& lang : failed)
      task.story_failures.emplace_back(lang, failure.reason);
    return;
  }
  auto now = unix_seconds();
  if (!failed.empty()
      && code_of(failure.reason) == error_code::message_too_long)
    // For parity with the replaced service; the client ignores it and
    // waits for the error below.
    context_.publish(
        encode_translation_skipped(task.request, utf8_length(task.request.text),
                                   context_.setup.max_text_chars, now));
  for (const auto& lang : failed)
    context_.publish(
        encode_translation_error(task.request, lang, failure.reason, now));
}

void session_text::on_done(const translation_done& done) {
  auto entry = by_request_.find(done.request_id);
  if (entry == by_request_.end())
    return;
  auto& task = entry->second;
  if (task.request.type == story_type)
    context_.publish(encode_story_completed(task.request, task.story,
                                            task.story_failures, unix_seconds(),
                                            task.source));
  auto siblings = by_task_.find(task.request.task_key);
  if (siblings != by_task_.end()) {
    auto& ids = siblings->second;
    ids.erase(std::remove(ids.begin(), ids.end(), done.request_id), ids.end());
    if (ids.empty())
      by_task_.erase(siblings);
  }
  by_request_.erase(entry);
}

} // namespace parley

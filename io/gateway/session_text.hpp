#pragma once

// The text side of the gateway session: `translation` and
// `story_text_object_translation` tasks become router requests, a task the
// gateway re-sends while it is in flight is merged into the request already
// running, a story gathers its languages into one event, and every other
// task publishes one event per language as it is ready.

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <caf/error.hpp>

#include "messages/gateway.hpp"
#include "messages/translation.hpp"

namespace parley {

struct session_context;

/// The text tasks in flight, by router request and by task.
class session_text {
public:
  explicit session_text(session_context& context) : context_(context) {
  }

  /// Sends the languages of `request` that no request of its task in flight
  /// covers to the router; a request naming no language goes on, so that the
  /// router refuses it.
  void on_translate(gateway_translate& request);

  void on_translation(translation& result);

  void on_failure(translation_failure& failure);

  void on_done(const translation_done& done);

  /// Router requests in flight.
  size_t active() const {
    return by_request_.size();
  }

private:
  /// One router request made for a gateway text task.
  struct task_entry {
    gateway_translate request;
    /// Languages asked and not answered yet, as the gateway spelled them.
    std::vector<std::string> pending;
    /// Story objects answer once, with every language that succeeded.
    std::vector<std::pair<std::string, std::string>> story;
    std::vector<std::pair<std::string, caf::error>> story_failures;
    /// A story's last translation: its source language and detection.
    translation source;
  };

  /// The languages of `request` that no in-flight request of its task
  /// covers.
  std::vector<std::string> uncovered(const gateway_translate& request);

  session_context& context_;
  std::unordered_map<uint64_t, task_entry> by_request_;
  /// Task id to the router requests still in flight for it.
  std::unordered_map<std::string, std::vector<uint64_t>> by_task_;
};

} // namespace parley

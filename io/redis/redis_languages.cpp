#include "io/redis/redis_languages.hpp"

#include <vector>

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "io/redis/redis_connections.hpp"
#include "io/redis/redis_format.hpp"

namespace parley::tier {

namespace {

/// Languages kept per key in Redis: more than a front's memory keeps by
/// default (8); each front trims them to its own depth.
constexpr size_t kept_languages = 16;

/// A day: a conversation quiet for longer starts afresh, and Redis forgets
/// the conversations and senders that went quiet. Each remember renews it.
constexpr int64_t languages_ttl_s = 86400;

/// Puts ARGV[1] in front of the list under KEYS[1], keeps at most ARGV[2]
/// languages and renews the expiry to ARGV[3] seconds: one script, so that
/// fronts remembering the same key at once lose none of the languages.
constexpr const char* remember_script =
    "local kept = {ARGV[1]} "
    "local before = redis.call('GET', KEYS[1]) "
    "if before then "
    "for language in string.gmatch(before, '[^,]+') do "
    "if #kept >= tonumber(ARGV[2]) then break end "
    "kept[#kept + 1] = language "
    "end "
    "end "
    "return redis.call('SET', KEYS[1], table.concat(kept, ','), 'EX', "
    "ARGV[3])";

/// The languages of reply `index`, counted as a hit or a miss.
std::vector<std::string> languages_in(tier_state& st,
                                      const std::vector<redis_reply>& replies,
                                      size_t index) {
  std::vector<std::string> languages;
  if (index < replies.size() && replies[index].kind == redis_reply_kind::text) {
    if (auto decoded = decode_language_list(replies[index].text))
      languages = std::move(*decoded);
    else
      count(st, "redis_corrupt_total");
  }
  count(st, std::string{languages.empty() ? "redis_misses_total"
                                          : "redis_hits_total"}
                + "{kind=\"languages\"}");
  return languages;
}

void write_languages(tier_pointer self, const std::string& name,
                     const std::string& language) {
  submit_write(self,
               {"EVAL", remember_script, "1", self->state.cfg.key_prefix + name,
                language, std::to_string(kept_languages),
                std::to_string(languages_ttl_s)});
}

} // namespace

void recall_languages(tier_pointer self, const conversation_keys& keys,
                      caf::typed_response_promise<language_history> promise) {
  auto& st = self->state;
  auto conversation = !keys.conversation.empty();
  auto sender = !keys.sender.empty();
  std::vector<std::vector<std::string>> commands;
  if (conversation)
    commands.push_back(
        {"GET", st.cfg.key_prefix
                    + conversation_languages_key_name(keys.conversation)});
  if (sender)
    commands.push_back(
        {"GET", st.cfg.key_prefix + sender_languages_key_name(keys.sender)});
  if (commands.empty()) {
    promise.deliver(language_history{});
    return;
  }
  submit_read(self, std::move(commands),
              [self, promise, conversation,
               sender](const std::vector<redis_reply>* replies) mutable {
                auto& st = self->state;
                language_history history;
                if (replies != nullptr) {
                  size_t next = 0;
                  if (conversation)
                    history.conversation = languages_in(st, *replies, next++);
                  if (sender)
                    history.sender = languages_in(st, *replies, next);
                }
                promise.deliver(std::move(history));
              });
}

void remember_language(tier_pointer self, const conversation_keys& keys,
                       const std::string& language) {
  if (!is_language_tag(language))
    return;
  if (!keys.conversation.empty())
    write_languages(self, conversation_languages_key_name(keys.conversation),
                    language);
  if (!keys.sender.empty())
    write_languages(self, sender_languages_key_name(keys.sender), language);
}

} // namespace parley::tier

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "messages/fwd.hpp"

namespace parley {

/// Commands sent to Redis as one pipeline, each an argument vector.
struct redis_commands {
  std::vector<std::vector<std::string>> argv;
};

/// The kind of one Redis reply.
enum class redis_reply_kind : uint8_t {
  nil = 0,
  text = 1,
  integer = 2,
  status = 3,
  error = 4,
  /// An array or anything else Parley never asks for.
  other = 5,
};

struct redis_reply {
  redis_reply_kind kind = redis_reply_kind::nil;
  /// Bulk string, status or error text.
  std::string text;
  int64_t integer = 0;
};

/// One reply per command, in order; or `error` when the connection failed
/// (then `replies` is empty).
struct redis_replies {
  std::vector<redis_reply> replies;
  std::string error;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, redis_commands& x) {
  return f(caf::meta::type_name("redis_commands"), x.argv);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, redis_reply& x) {
  return f(caf::meta::type_name("redis_reply"), x.kind, x.text, x.integer);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, redis_replies& x) {
  return f(caf::meta::type_name("redis_replies"), x.replies, x.error);
}

} // namespace parley

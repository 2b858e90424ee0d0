#include "io/redis/redis_client.hpp"

#include <stdexcept>
#include <sys/time.h>

#include <hiredis/hiredis.h>

namespace parley {

namespace {

timeval to_timeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

int64_t parse_number(const std::string& text, const std::string& what) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos
      || text.size() > 9)
    throw std::invalid_argument("redis url: " + what + " '" + text
                                + "' is not a number");
  return std::stoll(text);
}

std::string percent_decode(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

redis_reply convert(const redisReply* reply) {
  redis_reply out;
  switch (reply->type) {
  case REDIS_REPLY_NIL:
    out.kind = redis_reply_kind::nil;
    break;
  case REDIS_REPLY_STRING:
    out.kind = redis_reply_kind::text;
    out.text.assign(reply->str, reply->len);
    break;
  case REDIS_REPLY_INTEGER:
    out.kind = redis_reply_kind::integer;
    out.integer = reply->integer;
    break;
  case REDIS_REPLY_STATUS:
    out.kind = redis_reply_kind::status;
    out.text.assign(reply->str, reply->len);
    break;
  case REDIS_REPLY_ERROR:
    out.kind = redis_reply_kind::error;
    out.text.assign(reply->str, reply->len);
    break;
  default:
    out.kind = redis_reply_kind::other;
  }
  return out;
}

} // namespace

redis_endpoint parse_redis_url(const std::string& url) {
  redis_endpoint endpoint;
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos)
    throw std::invalid_argument("redis url '" + url
                                + "' must start with redis:// or unix://");
  auto scheme = url.substr(0, scheme_end);
  auto rest = url.substr(scheme_end + 3);
  std::string query;
  if (auto q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  auto read_query = [&] {
    size_t start = 0;
    while (start < query.size()) {
      auto end = query.find('&', start);
      auto pair = query.substr(start, end - start);
      auto eq = pair.find('=');
      if (eq != std::string::npos) {
        auto name = pair.substr(0, eq);
        auto value = percent_decode(pair.substr(eq + 1));
        if (name == "db")
          endpoint.database = parse_number(value, "database");
        else if (name == "password")
          endpoint.password = value;
      }
      if (end == std::string::npos)
        break;
      start = end + 1;
    }
  };
  if (scheme == "unix") {
    auto at = rest.rfind('@');
    if (at != std::string::npos) {
      auto credentials = rest.substr(0, at);
      rest = rest.substr(at + 1);
      auto colon = credentials.find(':');
      endpoint.password = percent_decode(colon == std::string::npos
                                             ? credentials
                                             : credentials.substr(colon + 1));
    }
    if (rest.empty())
      throw std::invalid_argument("redis url '" + url + "' names no socket");
    endpoint.unix_path = rest;
    read_query();
    return endpoint;
  }
  if (scheme == "rediss")
    throw std::invalid_argument("redis url '" + url
                                + "': TLS (rediss://) is not supported");
  if (scheme != "redis")
    throw std::invalid_argument("redis url '" + url
                                + "' must start with redis:// or unix://");
  std::string path;
  if (auto slash = rest.find('/'); slash != std::string::npos) {
    path = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  if (auto at = rest.rfind('@'); at != std::string::npos) {
    auto credentials = rest.substr(0, at);
    rest = rest.substr(at + 1);
    auto colon = credentials.find(':');
    if (colon == std::string::npos) {
      // redis-py reads a lone name as the password.
      endpoint.password = percent_decode(credentials);
    } else {
      endpoint.username = percent_decode(credentials.substr(0, colon));
      endpoint.password = percent_decode(credentials.substr(colon + 1));
    }
  }
  if (!rest.empty() && rest.front() == '[') {
    auto close = rest.find(']');
    if (close == std::string::npos)
      throw std::invalid_argument("redis url '" + url + "': bad IPv6 host");
    endpoint.host = rest.substr(1, close - 1);
    rest = rest.substr(close + 1);
    if (!rest.empty() && rest.front() == ':')
      endpoint.port =
          static_cast<uint16_t>(parse_number(rest.substr(1), "port"));
  } else if (auto colon = rest.rfind(':'); colon != std::string::npos) {
    endpoint.host = rest.substr(0, colon);
    auto port = parse_number(rest.substr(colon + 1), "port");
    if (port == 0 || port > 65535)
      throw std::invalid_argument("redis url '" + url + "': bad port");
    endpoint.port = static_cast<uint16_t>(port);
  } else if (!rest.empty()) {
    endpoint.host = rest;
  }
  if (endpoint.host.empty())
    endpoint.host = "localhost";
  if (!path.empty())
    endpoint.database = parse_number(path, "database");
  read_query();
  return endpoint;
}

redis_connection::redis_connection(redis_endpoint endpoint,
                                   std::chrono::milliseconds connect_timeout,
                                   std::chrono::milliseconds io_timeout)
    : endpoint_(std::move(endpoint)), connect_timeout_(connect_timeout),
      io_timeout_(io_timeout) {
}

redis_connection::~redis_connection() {
  close();
}

void redis_connection::close() {
  if (context_ != nullptr) {
    redisFree(context_);
    context_ = nullptr;
  }
}

std::string redis_connection::connect() {
  close();
  auto timeout = to_timeval(connect_timeout_);
  redisContext* context =
      endpoint_.unix_path.empty()
          ? redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port,
                                    timeout)
          : redisConnectUnixWithTimeout(endpoint_.unix_path.c_str(), timeout);
  if (context == nullptr)
    return "cannot allocate a Redis context";
  if (context->err != 0) {
    std::string why = context->errstr;
    redisFree(context);
    return why;
  }
  context_ = context;
  if (redisSetTimeout(context_, to_timeval(io_timeout_)) != REDIS_OK) {
    close();
    return "cannot set the socket timeout";
  }
  std::vector<std::vector<std::string>> hello;
  if (!endpoint_.password.empty()) {
    if (endpoint_.username.empty())
      hello.push_back({"AUTH", endpoint_.password});
    else
      hello.push_back({"AUTH", endpoint_.username, endpoint_.password});
  }
  if (endpoint_.database != 0)
    hello.push_back({"SELECT", std::to_string(endpoint_.database)});
  hello.push_back({"PING"});
  auto replies = pipeline(hello);
  if (!replies.error.empty())
    return replies.error;
  for (const auto& reply : replies.replies)
    if (reply.kind == redis_reply_kind::error) {
      close();
      return reply.text;
    }
  return {};
}

redis_replies redis_connection::pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  redis_replies out;
  if (context_ == nullptr) {
    out.error = "not connected";
    return out;
  }
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const auto& command : commands) {
    argv.clear();
    lengths.clear();
    for (const auto& arg : command) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    if (redisAppendCommandArgv(context_, static_cast<int>(argv.size()),
                               argv.data(), lengths.data())
        != REDIS_OK) {
      out.error = context_->errstr;
      close();
      return out;
    }
  }
  out.replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
      out.error = context_->err == REDIS_ERR_IO && context_->errstr[0] == 0
                      ? "I/O error"
                      : context_->errstr;
      out.replies.clear();
      // A pipeline cut in the middle leaves replies in flight: start over.
      close();
      return out;
    }
    auto* reply = static_cast<redisReply*>(raw);
    out.replies.push_back(convert(reply));
    freeReplyObject(reply);
  }
  return out;
}

} // namespace parley

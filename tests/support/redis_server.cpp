#include "tests/support/redis_server.hpp"

#include <csignal>
#include <functional>
#include <stdexcept>
#include <sys/time.h>
#include <thread>

#include <hiredis/hiredis.h>

#include "io/redis/redis_client.hpp"
#include "tests/support/runtime_fixture.hpp"
#include "tests/support/zmq_client.hpp"

namespace parley::test {

namespace {

using namespace std::chrono_literals;

redis_replies run(uint16_t port,
                  const std::vector<std::vector<std::string>>& commands) {
  redis_endpoint endpoint;
  endpoint.port = port;
  redis_connection connection{endpoint, 1000ms, 5000ms};
  auto error = connection.connect();
  if (!error.empty()) {
    redis_replies failed;
    failed.error = error;
    return failed;
  }
  return connection.pipeline(commands);
}

} // namespace

redis_server::redis_server() : port_(free_port()) {
  start();
}

redis_server::~redis_server() {
  if (process_) {
    resume();
    process_->stop(SIGKILL);
  }
}

std::string redis_server::url() const {
  return "redis://127.0.0.1:" + std::to_string(port_);
}

redis_tier_config redis_server::tier_config() const {
  redis_tier_config cfg;
  cfg.url = url();
  cfg.timeout = 2000ms;
  cfg.max_backoff = 200ms;
  return cfg;
}

std::string redis_server::toml() const {
  return "[cache.redis]\nurl = \"" + url()
         + "\"\ntimeout_ms = 2000\nmax_backoff_ms = 200\n";
}

void redis_server::start() {
  process_ = std::make_unique<child_process>(std::vector<std::string>{
      "/usr/bin/redis-server", "--port", std::to_string(port_), "--bind",
      "127.0.0.1", "--save", "", "--appendonly", "no",
      "--notify-keyspace-events", "KA", "--loglevel", "warning", "--logfile",
      "/dev/null"});
  process_->discard_output();
  if (!eventually([this] { return run(port_, {{"PING"}}).error.empty(); }))
    throw std::runtime_error("redis-server did not start on port "
                             + std::to_string(port_));
}

void redis_server::kill() {
  resume();
  process_->stop(SIGKILL);
  process_.reset();
}

void redis_server::pause() {
  if (process_)
    ::kill(process_->pid(), SIGSTOP);
}

void redis_server::resume() {
  if (process_)
    ::kill(process_->pid(), SIGCONT);
}

std::optional<std::string> redis_server::get(const std::string& key) {
  auto result = run(port_, {{"GET", key}});
  if (!result.error.empty())
    throw std::runtime_error("redis GET failed: " + result.error);
  if (result.replies.at(0).kind != redis_reply_kind::text)
    return std::nullopt;
  return result.replies[0].text;
}

void redis_server::set(const std::string& key, const std::string& value) {
  auto result = run(port_, {{"SET", key, value}});
  if (!result.error.empty())
    throw std::runtime_error("redis SET failed: " + result.error);
}

int64_t redis_server::ttl(const std::string& key) {
  auto result = run(port_, {{"TTL", key}});
  if (!result.error.empty())
    throw std::runtime_error("redis TTL failed: " + result.error);
  return result.replies.at(0).integer;
}

bool redis_server::wait_for_key(const std::string& key) {
  return key_events{*this, key}.wait_until(
      [](const std::optional<std::string>& value) {
        return value.has_value();
      });
}

key_events::key_events(redis_server& redis, std::string key)
    : redis_(redis), key_(std::move(key)) {
  context_ = redisConnect("127.0.0.1", redis_.port());
  if (context_ == nullptr || context_->err != 0)
    throw std::runtime_error("cannot connect to redis-server for events");
  auto channel = "__keyspace@0__:" + key_;
  auto* reply = static_cast<redisReply*>(
      redisCommand(context_, "SUBSCRIBE %b", channel.data(), channel.size()));
  if (reply == nullptr)
    throw std::runtime_error("SUBSCRIBE failed: "
                             + std::string{context_->errstr});
  freeReplyObject(reply);
}

key_events::~key_events() {
  redisFree(context_);
}

std::optional<std::string>
key_events::next_event(std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::microseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return std::nullopt;
    timeval wait{static_cast<time_t>(left.count() / 1000000),
                 static_cast<suseconds_t>(left.count() % 1000000)};
    redisSetTimeout(context_, wait);
    void* raw = nullptr;
    if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr)
      return std::nullopt;
    auto* reply = static_cast<redisReply*>(raw);
    std::optional<std::string> event;
    // A message is ["message", channel, event].
    if (reply->type == REDIS_REPLY_ARRAY && reply->elements == 3
        && reply->element[2]->type == REDIS_REPLY_STRING)
      event.emplace(reply->element[2]->str, reply->element[2]->len);
    freeReplyObject(reply);
    if (event)
      return event;
  }
}

bool key_events::wait_for(const std::string& event,
                          std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (auto next = next_event(deadline))
    if (*next == event)
      return true;
  return false;
}

bool key_events::wait_until(
    const std::function<bool(const std::optional<std::string>&)>& holds,
    std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!holds(redis_.get(key_)))
    if (!next_event(deadline))
      return false;
  return true;
}

} // namespace parley::test

#include "tests/support/redis_server.hpp"

#include <csignal>
#include <functional>
#include <stdexcept>
#include <thread>

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
      "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning",
      "--logfile", "/dev/null"});
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

} // namespace parley::test

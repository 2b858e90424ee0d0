// parleyd's signals with a real process and a gateway under load: SIGHUP
// reloads the configuration file while requests keep coming (every one
// answered, the new route in force once the reload is logged, a bad file
// refused with the old configuration still serving), and SIGINT drains as
// SIGTERM does. Nothing here measures time: the load is paced by answers,
// and a ping's pong proves that nothing more is coming.

#include <catch2/catch.hpp>

#include <condition_variable>
#include <csignal>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/zmq_client.hpp"

using namespace parley::test;
using nlohmann::json;

namespace {

void write_file(const std::string& path, const std::string& text) {
  std::ofstream{path, std::ios::trunc} << text;
}

/// parleyd on free ports, started with a configuration file the test may
/// rewrite before a SIGHUP; ready (models loaded) on return.
class server_with_file {
public:
  explicit server_with_file(const std::string& config)
      : config_path(dir_.file("parley.toml")), pull_port(free_port()),
        pub_port(free_port()) {
    write_file(config_path, config);
    process_ = std::make_unique<child_process>(std::vector<std::string>{
        bin_path("parleyd"), "--config", config_path, "--pull-port",
        std::to_string(pull_port), "--pub-port", std::to_string(pub_port),
        "--http-port", std::to_string(free_port())});
    if (!wait_for_log("parleyd: ready"))
      throw std::runtime_error("parleyd did not become ready:\n" + log());
  }

  /// Waits for the next line of the log holding `text`, after what the last
  /// wait took; false when none comes within a minute.
  bool wait_for_log(const std::string& text) {
    if (!process_->wait_for_output(text, std::chrono::seconds(60), taken_))
      return false;
    taken_ = log().find(text, taken_) + text.size();
    return true;
  }

  const std::string& log() const {
    return process_->output();
  }

  pid_t pid() const {
    return process_->pid();
  }

  /// Sends `signal` and returns the exit status.
  int stop(int signal) {
    return process_->stop(signal);
  }

private:
  temp_dir dir_;

public:
  const std::string config_path;
  const uint16_t pull_port;
  const uint16_t pub_port;

private:
  std::unique_ptr<child_process> process_;
  size_t taken_ = 0;
};

/// The configuration before the reload: one echo model; `premium` requests
/// take the default route to it.
const char* const first_config = "[server]\ndrain_timeout_ms = 10000\n"
                                 "[models.first]\nkind = \"echo\"\n"
                                 "[routes]\ndefault = \"first\"\n";

/// The reload: a second model and a `premium` route to it.
const char* const second_config = "[server]\ndrain_timeout_ms = 10000\n"
                                  "[models.first]\nkind = \"echo\"\n"
                                  "[models.second]\nkind = \"echo\"\n"
                                  "[routes]\ndefault = \"first\"\n"
                                  "premium = \"second\"\n";

json premium_task(const std::string& task) {
  return {{"type", "translation"},
          {"taskId", task},
          {"messageId", "m-" + task},
          {"text", "Sentence of task " + task + "."},
          {"sourceLanguage", "en"},
          {"targetLanguages", {"es"}},
          {"conversationId", "c-reload"},
          {"modelType", "premium"}};
}

/// The phases of the load, each task stamped with the one it was sent in.
enum class phase { before_reload, reloading, reloaded, bad_file_refused };

/// A gateway that keeps sending `premium` tasks, at most `window` unanswered
/// at a time, on one thread, and reads the answers on another.
class steady_load {
public:
  steady_load(zmq_client& client) : client_(client) {
  }

  void start() {
    receiver_ = std::thread{[this] { receive(); }};
    sender_ = std::thread{[this] { send(); }};
  }

  /// Moves to `next`: tasks sent from now on carry it.
  void enter(phase next) {
    std::lock_guard<std::mutex> guard{mutex_};
    phase_ = next;
  }

  /// Waits until `count` tasks sent in `sent_in` were answered.
  bool wait_for_answers(phase sent_in, int count) {
    std::unique_lock<std::mutex> lock{mutex_};
    return changed_.wait_for(lock, std::chrono::seconds(60), [&] {
      int answered = 0;
      for (const auto& [task, events] : answers_)
        if (sent_phase_.at(task) == sent_in)
          ++answered;
      return answered >= count;
    });
  }

  /// Stops sending, waits until every task was answered, then sends a ping
  /// whose pong ends the reading: the session publishes in order, so a
  /// duplicate answer would come before it.
  void finish() {
    {
      std::lock_guard<std::mutex> guard{mutex_};
      stopping_ = true;
    }
    changed_.notify_all();
    sender_.join();
    {
      // The pong answers at once, ahead of translations still in flight:
      // first every task gets an answer, then the pong proves no second one
      // follows.
      std::unique_lock<std::mutex> lock{mutex_};
      changed_.wait_for(lock, std::chrono::seconds(60),
                        [&] { return unanswered() == 0; });
      pinged_ = true;
    }
    client_.send(json{{"type", "ping"}, {"timestamp", 1}});
    receiver_.join();
  }

  /// Every task sent, with its phase, and the events answering it.
  std::map<std::string, phase> sent_phase_;
  std::map<std::string, std::vector<json>> answers_;
  bool pong_seen_ = false;

private:
  static constexpr int window = 8;

  void send() {
    for (int i = 0;; ++i) {
      auto task = "r" + std::to_string(i);
      {
        std::unique_lock<std::mutex> lock{mutex_};
        changed_.wait(lock, [&] { return stopping_ || unanswered() < window; });
        if (stopping_)
          return;
        sent_phase_.emplace(task, phase_);
      }
      client_.send(premium_task(task));
    }
  }

  void receive() {
    for (;;) {
      auto event = client_.receive(std::chrono::seconds(60));
      if (event.is_null())
        return;
      std::lock_guard<std::mutex> guard{mutex_};
      // A pong carries the server's time, not the ping's: the first one
      // after the last ping is its answer.
      if (event.value("type", "") == "pong" && pinged_) {
        pong_seen_ = true;
        return;
      }
      auto task = event.value("taskId", "");
      if (sent_phase_.count(task) > 0)
        answers_[task].push_back(std::move(event));
      changed_.notify_all();
    }
  }

  int unanswered() const {
    return static_cast<int>(sent_phase_.size() - answers_.size());
  }

  zmq_client& client_;
  std::mutex mutex_;
  std::condition_variable changed_;
  phase phase_ = phase::before_reload;
  bool stopping_ = false;
  bool pinged_ = false;
  std::thread sender_;
  std::thread receiver_;
};

/// How many tasks `load` sent in `sent_in`.
int load_count(const steady_load& load, phase sent_in) {
  int count = 0;
  for (const auto& [task, sent] : load.sent_phase_)
    count += sent == sent_in ? 1 : 0;
  return count;
}

} // namespace

TEST_CASE("SIGHUP reloads routes and models under load, and a bad file "
          "leaves the running configuration serving",
          "[tools][reload]") {
  server_with_file server{first_config};
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  steady_load load{client};
  load.start();
  REQUIRE(load.wait_for_answers(phase::before_reload, 20));

  write_file(server.config_path, second_config);
  load.enter(phase::reloading);
  REQUIRE(kill(server.pid(), SIGHUP) == 0);
  REQUIRE(server.wait_for_log("parleyd: reloaded"));
  load.enter(phase::reloaded);
  REQUIRE(load.wait_for_answers(phase::reloaded, 20));

  write_file(server.config_path,
             std::string{second_config} + "[cache]\nsize = 5\n");
  REQUIRE(kill(server.pid(), SIGHUP) == 0);
  REQUIRE(server.wait_for_log("reload refused"));
  // The refusal names the key.
  REQUIRE(server.wait_for_log("cache.size"));
  load.enter(phase::bad_file_refused);
  REQUIRE(load.wait_for_answers(phase::bad_file_refused, 20));
  load.finish();
  REQUIRE(load.pong_seen_);

  INFO(server.log());
  std::map<phase, std::map<std::string, int>> models_by_phase;
  std::vector<std::string> not_once;
  for (const auto& [task, sent_in] : load.sent_phase_) {
    auto found = load.answers_.find(task);
    if (found == load.answers_.end() || found->second.size() != 1) {
      not_once.push_back(task);
      continue;
    }
    const auto& event = found->second.front();
    auto model = event.value("type", "") == "translation_completed"
                     ? event["result"].value("translatorModel", "?")
                     : event.value("errorCode", "?");
    ++models_by_phase[sent_in][model];
  }
  CHECK(not_once == std::vector<std::string>{});
  // Before the reload `premium` took the default route; once the reload
  // was logged it went to the model the reload loaded, and stayed there
  // after the bad file.
  CHECK(models_by_phase[phase::before_reload]
        == std::map<std::string, int>{
            {"first", load_count(load, phase::before_reload)}});
  CHECK(models_by_phase[phase::reloaded]
        == std::map<std::string, int>{
            {"second", load_count(load, phase::reloaded)}});
  CHECK(models_by_phase[phase::bad_file_refused]
        == std::map<std::string, int>{
            {"second", load_count(load, phase::bad_file_refused)}});
  // While reloading, each task went to one model or the other, never to an
  // error.
  for (const auto& [model, count] : models_by_phase[phase::reloading])
    CHECK((model == "first" || model == "second"));
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("SIGINT drains accepted work as SIGTERM does", "[tools][reload]") {
  server_with_file server{"[server]\ndrain_timeout_ms = 10000\n"
                          "[gateway]\npub_linger_ms = 1000\n"
                          "[models.slow]\nkind = \"echo\"\nbatch_ms = 200\n"
                          "max_batch = 2\n"};
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  constexpr int tasks = 8;
  for (int i = 0; i < tasks; ++i)
    client.send(premium_task("d" + std::to_string(i)));
  // Its pong follows the tasks: once here, every one was accepted, and the
  // slow model has most of them still to do.
  client.send(json{{"type", "ping"}, {"timestamp", 9090}});
  std::vector<json> events;
  REQUIRE_FALSE(client
                    .receive_until([&](const json& event) {
                      if (event.value("type", "") == "pong")
                        return true;
                      events.push_back(event);
                      return false;
                    })
                    .is_null());
  auto exited =
      std::async(std::launch::async, [&] { return server.stop(SIGINT); });
  while (events.size() < static_cast<size_t>(tasks)) {
    auto event = client.receive(std::chrono::seconds(60));
    if (event.is_null())
      break;
    events.push_back(event);
  }
  CHECK(exited.get() == 0);
  INFO(server.log());
  CHECK_THAT(server.log(), Catch::Contains("SIGINT received"));
  std::map<std::string, int> completed;
  for (const auto& event : events)
    if (event.value("type", "") == "translation_completed")
      ++completed[event.value("taskId", "")];
  CHECK(completed.size() == static_cast<size_t>(tasks));
  for (const auto& [task, times] : completed)
    CHECK(times == 1);
}

namespace {

/// The socket systemd listens on for a `Type=notify` service: parleyd finds
/// it in $NOTIFY_SOCKET.
class notify_socket {
public:
  explicit notify_socket(const std::string& path) : path_(path) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path.copy(address.sun_path, sizeof(address.sun_path) - 1);
    if (fd_ < 0
        || bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address))
               != 0)
      throw std::runtime_error("cannot bind " + path);
  }
  ~notify_socket() {
    close(fd_);
  }

  /// The next message, or "" when none comes within a minute.
  std::string next() {
    pollfd item{fd_, POLLIN, 0};
    if (poll(&item, 1, 60000) != 1)
      return "";
    char buffer[4096];
    auto size = recv(fd_, buffer, sizeof(buffer), 0);
    return size > 0 ? std::string(buffer, static_cast<size_t>(size)) : "";
  }

private:
  std::string path_;
  int fd_ = -1;
};

} // namespace

TEST_CASE("parleyd tells systemd when it is ready, reloading and stopping",
          "[tools][reload]") {
  temp_dir dir;
  notify_socket systemd{dir.file("notify")};
  setenv("NOTIFY_SOCKET", dir.file("notify").c_str(), 1);
  std::unique_ptr<server_with_file> server;
  try {
    server =
        std::make_unique<server_with_file>("[models.first]\nkind = \"echo\"\n");
  } catch (...) {
    unsetenv("NOTIFY_SOCKET");
    throw;
  }
  unsetenv("NOTIFY_SOCKET");
  CHECK(systemd.next() == "READY=1");
  REQUIRE(kill(server->pid(), SIGHUP) == 0);
  CHECK(systemd.next() == "RELOADING=1");
  CHECK(systemd.next() == "READY=1");
  REQUIRE(server->wait_for_log("parleyd: reloaded"));
  auto exited =
      std::async(std::launch::async, [&] { return server->stop(SIGTERM); });
  CHECK(systemd.next() == "STOPPING=1");
  CHECK(exited.get() == 0);
}

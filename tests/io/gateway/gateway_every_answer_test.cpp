// Every (task, language) a gateway sends is answered exactly once: under a
// fan-out that overloads the pool, and across SIGTERM with work in flight.
// Real parleyd processes on loopback; the tests count events, wait on
// events and process exits, and end each count with a ping whose pong
// proves that nothing more is coming.

#include <catch2/catch.hpp>

#include <future>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/support/cluster_nodes.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/zmq_client.hpp"

using namespace parley::test;
using nlohmann::json;

namespace {

/// Every language a model of the server at `http_port` names, English aside:
/// those it translates English into, and those it reaches only from others
/// (refused as UNSUPPORTED_LANGUAGE, one event each all the same).
std::vector<std::string> served_languages(uint16_t http_port) {
  auto reply = http_get(http_port, "/languages?view=models");
  if (reply.status != 200)
    reply = http_get(http_port, "/languages");
  auto body = json::parse(reply.body);
  std::set<std::string> languages;
  for (const auto& [name, model] : body["models"].items()) {
    for (const auto& language : model["languages"])
      languages.insert(language.get<std::string>());
    for (const auto& pair : model["pairs"]) {
      languages.insert(pair["source"].get<std::string>());
      languages.insert(pair["target"].get<std::string>());
    }
  }
  languages.erase("en");
  return {languages.begin(), languages.end()};
}

json translation_task(const std::string& task, const std::string& text,
                      const std::vector<std::string>& targets) {
  return {{"type", "translation"},     {"taskId", task},
          {"messageId", "m-" + task},  {"text", text},
          {"sourceLanguage", "en"},    {"targetLanguages", targets},
          {"conversationId", "c-fan"}, {"modelType", "basic"}};
}

/// Answers counted per task and language, and their event types.
struct answer_count {
  std::map<std::pair<std::string, std::string>, int> per_language;
  std::map<std::string, int> per_type;
  std::map<std::string, int> per_error_code;
  int events = 0;

  void add(const json& event) {
    auto type = event.value("type", "");
    if (type != "translation_completed" && type != "translation_error"
        && type != "transcription_completed" && type != "transcription_error")
      return;
    ++events;
    ++per_type[type];
    if (event.contains("errorCode"))
      ++per_error_code[event["errorCode"].get<std::string>()];
    ++per_language[{event.value("taskId", ""),
                    event.value("targetLanguage", "")}];
  }

  /// The (task, language) pairs of `expected` answered other than once.
  std::vector<std::string> not_once(
      const std::set<std::pair<std::string, std::string>>& expected) const {
    std::vector<std::string> wrong;
    for (const auto& key : expected) {
      auto found = per_language.find(key);
      auto times = found == per_language.end() ? 0 : found->second;
      if (times != 1)
        wrong.push_back(key.first + "/" + key.second + " x"
                        + std::to_string(times));
    }
    for (const auto& [key, times] : per_language)
      if (expected.count(key) == 0)
        wrong.push_back("unexpected " + key.first + "/" + key.second);
    return wrong;
  }
};

/// Receives until `count` answers arrived (or nothing came for a minute).
void receive_answers(zmq_client& client, answer_count& answers, int count) {
  while (answers.events < count) {
    auto event = client.receive(std::chrono::seconds(60));
    if (event.is_null())
      return;
    answers.add(event);
  }
}

/// Sends a ping and counts what arrives before its pong: the session
/// publishes in order, so whatever it published before it read the ping
/// (a duplicate answer, say) comes first.
void receive_until_pong(zmq_client& client, answer_count& answers) {
  client.send(json{{"type", "ping"}, {"timestamp", 424242}});
  auto pong = client.receive_until(
      [&](const json& event) {
        if (event.value("type", "") == "pong")
          return true;
        answers.add(event);
        return false;
      },
      std::chrono::seconds(60));
  REQUIRE_FALSE(pong.is_null());
}

} // namespace

TEST_CASE("a fan-out that overloads the pool answers every task in every "
          "language exactly once",
          "[io][overload]") {
  server_process server{
      "[server]\nrequest_timeout_ms = 4000\n"
      "[models.apertium]\nkind = \"apertium\"\nmax_batch = 4\n"
      "queue_capacity = 8\n"
      "[routes]\ndefault = \"apertium\"\n"};
  auto languages = served_languages(server.http_port);
  REQUIRE(languages.size() >= 8);
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  constexpr int tasks = 150;
  std::set<std::pair<std::string, std::string>> expected;
  for (int i = 0; i < tasks; ++i) {
    auto task = "f" + std::to_string(i);
    client.send(translation_task(
        task, "The garden number " + std::to_string(i) + " has a red door.",
        languages));
    for (const auto& language : languages)
      expected.emplace(task, language);
  }
  // Read nothing until the server has answered everything: the whole burst
  // (thousands of events) waits in the sockets' queues, as it does for a
  // gateway busy elsewhere.
  REQUIRE(cluster_reaches([&] {
    return metric_of(server.http_port, "parley_gateway_tasks_total") >= tasks
           && metric_of(server.http_port, "parley_gateway_tasks_active") == 0;
  }));
  answer_count answers;
  receive_answers(client, answers, static_cast<int>(expected.size()));
  receive_until_pong(client, answers);
  CHECK(metric_of(server.http_port, "parley_gateway_events_dropped_total")
        == 0);
  INFO("answers by type: " << json(answers.per_type).dump() << ", errors: "
                           << json(answers.per_error_code).dump());
  CHECK(answers.not_once(expected) == std::vector<std::string>{});
  // The load overloaded the pool: some languages were refused, and those
  // refusals did not cost the other languages of their tasks.
  CHECK(answers.per_error_code["OVERLOADED"] > 0);
  CHECK(answers.per_type["translation_completed"] > 0);
}

TEST_CASE("a task naming no target language, or one language many times, "
          "gets one answer per language",
          "[io]") {
  server_process server{"[models.apertium]\nkind = \"apertium\"\n"};
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  client.send(translation_task("none", "Hello there.", {}));
  client.send(translation_task("same", "Hello there.",
                               std::vector<std::string>(500, "en")));
  std::vector<std::string> spelled{"es", "ES", "es"};
  for (int i = 0; i < 100; ++i)
    spelled.emplace_back("es");
  client.send(translation_task("spelled", "Good morning.", spelled));
  answer_count answers;
  receive_answers(client, answers, 3);
  receive_until_pong(client, answers);
  CHECK(answers.not_once({{"none", ""}, {"same", "en"}, {"spelled", "es"}})
        == std::vector<std::string>{});
  CHECK(answers.per_error_code["INVALID_REQUEST"] == 1);
}

TEST_CASE("every answer owed at SIGTERM reaches the subscriber, round after "
          "round",
          "[io][shutdown]") {
  constexpr int rounds = 20;
  const std::vector<std::string> targets{"es", "fr", "ca"};
  for (int round = 0; round < rounds; ++round) {
    server_process server{"[server]\ndrain_timeout_ms = 4000\n"
                          "[gateway]\npub_linger_ms = 1000\n"
                          "[models.apertium]\nkind = \"apertium\"\n"};
    zmq_client client{server.pull_port, server.pub_port};
    REQUIRE(client.wait_until_subscribed());
    std::set<std::pair<std::string, std::string>> expected;
    for (int i = 0; i < 30; ++i) {
      auto task = "s" + std::to_string(i);
      client.send(json{{"type", "transcription_only"},
                       {"taskId", task},
                       {"messageId", "m-" + task},
                       {"attachmentId", "a-" + task},
                       {"mobileTranscription",
                        {{"text", "Short words " + std::to_string(i)},
                         {"language", "en"}}}});
      expected.emplace(task, "");
    }
    for (int i = 0; i < 40; ++i) {
      auto task = "t" + std::to_string(i);
      client.send(translation_task(task,
                                   "Round " + std::to_string(round)
                                       + " sentence " + std::to_string(i) + ".",
                                   targets));
      for (const auto& language : targets)
        expected.emplace(task, language);
    }
    // The pong of this ping follows the requests above: once it is here,
    // every one of them was accepted.
    answer_count answers;
    client.send(json{{"type", "ping"}, {"timestamp", round}});
    REQUIRE_FALSE(client
                      .receive_until([&](const json& event) {
                        if (event.value("type", "") == "pong")
                          return true;
                        answers.add(event);
                        return false;
                      })
                      .is_null());
    auto exited = std::async(std::launch::async, [&] { return server.stop(); });
    receive_answers(client, answers, static_cast<int>(expected.size()));
    CHECK(exited.get() == 0);
    INFO("round " << round << ": " << json(answers.per_type).dump() << " "
                  << json(answers.per_error_code).dump());
    REQUIRE(answers.not_once(expected) == std::vector<std::string>{});
  }
}

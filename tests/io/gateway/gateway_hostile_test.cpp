// Hostile input against a real parleyd: nothing a peer sends over ZMQ or
// HTTP may stop intake, crash the process, hold memory or starve health
// checks. After each attack a ping is answered and the process is alive.

#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "tests/support/gateway_samples.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/zmq_client.hpp"

using namespace parley::test;
using nlohmann::json;

namespace {

/// A field of /proc/PID/status in kB: VmRSS now, VmHWM the peak.
long status_kb(pid_t pid, const std::string& field) {
  std::ifstream status{"/proc/" + std::to_string(pid) + "/status"};
  std::string line;
  while (std::getline(status, line))
    if (line.rfind(field + ":", 0) == 0)
      return std::stol(line.substr(field.size() + 1));
  return -1;
}

bool alive(pid_t pid) {
  return kill(pid, 0) == 0;
}

void expect_pong(zmq_client& client) {
  client.send(json{{"type", "ping"}});
  auto pong = client.receive_until(
      [](const json& event) { return event["type"] == "pong"; });
  CHECK(pong["type"] == "pong");
}

/// A TCP connection to the local HTTP port, for attacks httplib's client
/// cannot make.
int connect_to(uint16_t port) {
  auto fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address))
      != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

} // namespace

TEST_CASE("the hostile messages that once stopped intake get typed errors",
          "[io][hostile]") {
  server_process server;
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  SECTION("a wrong-typed generateVoiceClone on transcription_only") {
    client.send(json{{"type", "transcription_only"},
                     {"taskId", "h-1"},
                     {"generateVoiceClone", "yes"},
                     {"binaryFrames", {{"audio", 1}}}},
                {"RIFF...."});
    auto reply = client.receive();
    CHECK(reply["type"] == "transcription_error");
    CHECK(reply["taskId"] == "h-1");
    CHECK(reply["errorCode"] == "INVALID_REQUEST");
  }
  SECTION("a mobileTranscription whose text is a number") {
    client.send(json{{"type", "audio_process"},
                     {"messageId", "h-2"},
                     {"attachmentId", "a"},
                     {"audioUrl", ""},
                     {"targetLanguages", {"es"}},
                     {"mobileTranscription", {{"text", 5}}}});
    auto reply = client.receive();
    CHECK(reply["type"] == "audio_process_error");
    CHECK(reply["messageId"] == "h-2");
    CHECK(reply["taskId"].is_string());
    CHECK(reply["errorCode"] == "INVALID_REQUEST");
  }
  SECTION("a mobileTranscription nested 100,000 levels deep") {
    std::string request =
        R"({"type": "audio_process", "messageId": "h-3", )"
        R"("targetLanguages": ["es"], "mobileTranscription": )"
        + std::string(100000, '[') + std::string(100000, ']') + "}";
    client.send(request);
    auto reply = client.receive();
    CHECK(reply["type"] == "audio_process_error");
    CHECK(reply["messageId"] == "h-3");
    CHECK(reply["errorCode"] == "INVALID_REQUEST");
  }
  expect_pong(client);
  CHECK(alive(server.pid()));
}

TEST_CASE("a wrong type in any field of any request is answered over ZMQ",
          "[io][hostile]") {
  server_process server;
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  size_t answered = 0;
  for (const auto& sample : gateway_samples()) {
    for (const auto& [key, value] : sample.request.items()) {
      if (key == "type")
        continue;
      INFO(sample.request["type"] << "." << key);
      auto bad = sample.request;
      bad[key] = wrong_type_for(value);
      client.send(bad, sample.binary);
      auto reply = client.receive();
      REQUIRE_FALSE(reply.is_null());
      CHECK(reply["type"] == sample.error_type);
      CHECK(reply["errorCode"] == "INVALID_REQUEST");
      if (key != sample.id_key)
        CHECK(reply[sample.id_key] == sample.request[sample.id_key]);
      ++answered;
    }
  }
  CHECK(answered > 100);
  expect_pong(client);
  CHECK(alive(server.pid()));
}

TEST_CASE("a ZMQ frame over the limit is refused before it takes memory",
          "[io][hostile]") {
  constexpr size_t limit = 1 << 20;
  server_process server{"[gateway]\nmax_audio_bytes = " + std::to_string(limit)
                        + "\n"};
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  auto before = status_kb(server.pid(), "VmRSS");
  REQUIRE(before > 0);
  // 64 MB in one frame: ZMQ drops the peer on reading the frame's size.
  client.send(json{{"type", "transcription_only"},
                   {"taskId", "big"},
                   {"binaryFrames", {{"audio", 1}}}},
              {std::string(64 << 20, 'x')});
  // The PUSH socket reconnects; the next ping is answered.
  expect_pong(client);
  auto peak = status_kb(server.pid(), "VmHWM");
  INFO("VmRSS before " << before << " kB, peak after " << peak << " kB");
  CHECK(peak - before < static_cast<long>(limit / 1024));
  CHECK(alive(server.pid()));
}

TEST_CASE("HTTP refuses a huge body unread", "[io][hostile]") {
  server_process server;
  auto before = status_kb(server.pid(), "VmRSS");
  auto fd = connect_to(server.http_port);
  REQUIRE(fd >= 0);
  std::string head = "POST /translate HTTP/1.1\r\nHost: x\r\n"
                     "Content-Type: application/json\r\n"
                     "Content-Length: 300000000\r\n\r\n";
  REQUIRE(send(fd, head.data(), head.size(), MSG_NOSIGNAL) > 0);
  std::string chunk(1 << 20, 'x');
  // The server answers after the head; it never reads 300 MB.
  send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  char reply[512] = {};
  auto got = recv(fd, reply, sizeof(reply) - 1, 0);
  close(fd);
  REQUIRE(got > 0);
  CHECK_THAT(std::string(reply), Catch::StartsWith("HTTP/1.1 413"));
  auto peak = status_kb(server.pid(), "VmHWM");
  CHECK(peak - before < 64 * 1024);
  CHECK(http_get(server.http_port, "/health").status == 200);
}

TEST_CASE("slow HTTP clients cannot starve health checks", "[io][hostile]") {
  server_process server;
  // 200 clients that send their request head a byte at a time and never
  // finish it.
  std::vector<int> slow;
  std::string head = "GET /health HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 200; ++i) {
    auto fd = connect_to(server.http_port);
    REQUIRE(fd >= 0);
    slow.push_back(fd);
  }
  for (size_t byte = 0; byte < 8; ++byte)
    for (auto fd : slow)
      send(fd, head.data() + byte, 1, MSG_NOSIGNAL);
  // While every one of them is held open, health and readiness answer.
  for (int i = 0; i < 5; ++i) {
    CHECK(http_get(server.http_port, "/health").status == 200);
    CHECK(http_get(server.http_port, "/ready").status == 200);
    for (auto fd : slow)
      send(fd, head.data() + 8 + i, 1, MSG_NOSIGNAL);
  }
  for (auto fd : slow)
    close(fd);
  zmq_client client{server.pull_port, server.pub_port};
  REQUIRE(client.wait_until_subscribed());
  CHECK(alive(server.pid()));
}

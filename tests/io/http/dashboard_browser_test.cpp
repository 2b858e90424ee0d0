// The dashboard in a real browser: a real parleyd under a little load, its
// page loaded by headless Chromium, and the rendered DOM checked for what
// an operator reads there. Also its admin token, as a client meets it.

#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <string>
#include <unistd.h>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "tests/support/process.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace parley::test;
using nlohmann::json;

namespace {

const char* const chromium = "/usr/bin/chromium";

/// Runs headless Chromium on `url` with `extra` flags; returns its output.
std::string run_chromium(const temp_dir& profile, const std::string& url,
                         std::vector<std::string> extra) {
  std::vector<std::string> argv{"/usr/bin/timeout", "120", chromium,
                                "--headless", "--disable-gpu", "--no-sandbox",
                                "--no-first-run",
                                "--user-data-dir=" + profile.file("profile"),
                                // Long enough for a few polls of the page.
                                "--virtual-time-budget=10000"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back(url);
  auto result = run_command(argv);
  INFO("chromium said: " << result.err);
  REQUIRE(result.exit_status == 0);
  return result.out;
}

http_reply get_with_token(uint16_t port, const std::string& path,
                          const std::string& token) {
  httplib::Client client{"127.0.0.1", port};
  httplib::Headers headers;
  if (!token.empty())
    headers.emplace("Authorization", "Bearer " + token);
  auto res = client.Get(path.c_str(), headers);
  if (!res)
    return {};
  return {res->status, res->body, res->get_header_value("Content-Type")};
}

json translate_body(const std::string& text) {
  return {{"text", text}, {"source_language", "en"}, {"target_language", "es"}};
}

} // namespace

TEST_CASE("headless Chromium renders the dashboard of a loaded parleyd: its "
          "node, every model with its queue, a cache hit ratio and latencies",
          "[io][dashboard][browser]") {
  REQUIRE(access(chromium, X_OK) == 0); // tools/setup --tests installs it
  const std::string node = "dash-node-7";
  server_process server{"[cluster]\nnode_name = \"" + node + "\"\n"};
  // Some work, with repeats so that the cache hits.
  for (int i = 0; i < 6; ++i) {
    auto text = "The house number " + std::to_string(i % 3) + " is red.";
    auto reply =
        http_post(server.http_port, "/translate", translate_body(text).dump());
    REQUIRE(reply.status == 200);
  }
  auto summary = http_get(server.http_port, "/dashboard/summary");
  REQUIRE(summary.status == 200);
  auto body = json::parse(summary.body);
  REQUIRE(body["pools"].size() >= 2);

  temp_dir dir;
  auto url =
      "http://127.0.0.1:" + std::to_string(server.http_port) + "/dashboard";
  auto dom = run_chromium(dir, url, {"--dump-dom"});
  CHECK_THAT(dom, Catch::Contains("<b id=\"node\">" + node + "</b>"));
  for (const auto& pool : body["pools"]) {
    CHECK_THAT(dom, Catch::Contains(pool["model"].get<std::string>()));
    CHECK_THAT(dom, Catch::Contains(pool["task"].get<std::string>()));
  }
  CHECK(std::regex_search(dom, std::regex{R"(queue \d+ jobs)"}));
  // Three texts twice: the local cache hit at least once.
  CHECK(std::regex_search(dom, std::regex{R"(cache hit [1-9]\d*%)"}));
  CHECK(std::regex_search(dom, std::regex{R"(p50 \d+\.\d (ms|s), p95)"}));
  CHECK(std::regex_search(dom, std::regex{R"(en-es)"}));

  // The screenshot the README shows, left in the build directory.
  auto screenshot = std::string{PARLEY_BIN_DIR} + "/../dashboard.png";
  std::remove(screenshot.c_str());
  run_chromium(dir, url,
               {"--screenshot=" + screenshot, "--window-size=1280,900",
                "--hide-scrollbars"});
  std::ifstream png{screenshot, std::ios::binary};
  std::string magic(8, '\0');
  png.read(magic.data(), 8);
  CHECK(magic == "\x89PNG\r\n\x1a\n");
}

TEST_CASE("with an admin token the dashboard's summary answers 401 without "
          "it and leaks nothing; the page sends the token it is given",
          "[io][dashboard][browser]") {
  REQUIRE(access(chromium, X_OK) == 0);
  const std::string node = "guarded-node-3";
  server_process server{"[cluster]\nnode_name = \"" + node
                        + "\"\n[http]\nadmin_token = \"adm\"\n"};
  for (const std::string token : {"", "wrong"}) {
    auto refused =
        get_with_token(server.http_port, "/dashboard/summary", token);
    CHECK(refused.status == 401);
    CHECK_THAT(refused.body, Catch::Contains("UNAUTHORIZED"));
    CHECK_THAT(refused.body, !Catch::Contains(node));
    CHECK_THAT(refused.body, !Catch::Contains("pools"));
  }
  auto page = http_get(server.http_port, "/dashboard");
  CHECK(page.status == 200);
  CHECK_THAT(page.content_type, Catch::StartsWith("text/html"));
  CHECK_THAT(page.body, !Catch::Contains(node));
  auto admitted = get_with_token(server.http_port, "/dashboard/summary", "adm");
  REQUIRE(admitted.status == 200);
  CHECK(json::parse(admitted.body)["node"] == node);

  temp_dir dir;
  auto url =
      "http://127.0.0.1:" + std::to_string(server.http_port) + "/dashboard";
  auto without = run_chromium(dir, url, {"--dump-dom"});
  CHECK_THAT(without, Catch::Contains("needs its admin token"));
  CHECK_THAT(without, !Catch::Contains(node));
  auto with = run_chromium(dir, url + "#token=adm", {"--dump-dom"});
  CHECK_THAT(with, Catch::Contains("<b id=\"node\">" + node + "</b>"));
  // Loading and unloading need the token too: the page offers them now.
  CHECK_THAT(with, Catch::Contains("id=\"load-form\">"));
}

TEST_CASE("the dashboard's summary counts refused requests by code and "
          "stays small whatever pairs requests name",
          "[io][dashboard]") {
  server_process server;
  const std::vector<std::string> unserved{
      "ja", "zh", "ko", "hi", "th", "x1", "not a language"};
  const int requests = 40;
  for (int i = 0; i < requests; ++i) {
    json body{{"text", "hello " + std::to_string(i)},
              {"source_language", unserved[i % unserved.size()]},
              {"target_language", "es"}};
    CHECK(http_post(server.http_port, "/translate", body.dump()).status >= 400);
  }
  auto summary = http_get(server.http_port, "/dashboard/summary");
  REQUIRE(summary.status == 200);
  auto body = json::parse(summary.body);
  CHECK(body["top_pairs"].size() <= 10);
  CHECK(summary.body.size() < 16 * 1024);
  int errors = 0;
  for (const auto& [code, count] : body["errors"].items())
    errors += count.get<int>();
  CHECK(errors == requests);
}

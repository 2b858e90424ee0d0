#include <catch2/catch.hpp>

#include "server/config_check.hpp"
#include "server/config_file.hpp"

using namespace parley;

namespace {

/// The message `check_server_config` gives for `text`, or "no error".
std::string check_message(const std::string& text) {
  try {
    check_server_config(parse_config(text));
  } catch (const config_error& e) {
    return e.what();
  }
  return "no error";
}

} // namespace

TEST_CASE("a configuration whose models and routes fit passes the check",
          "[server][check-config]") {
  CHECK(check_message("") == "no error");
  CHECK(check_message("[models.first]\nkind = \"echo\"\n"
                      "[routes]\ndefault = \"first\"\n")
        == "no error");
}

TEST_CASE("the check names an unknown kind and a route to no model",
          "[server][check-config]") {
  CHECK_THAT(check_message("[models.first]\nkind = \"nonexistent\"\n"),
             Catch::Contains("nonexistent"));
  CHECK_THAT(check_message("[models.first]\nkind = \"echo\"\n"
                           "[routes]\npremium = \"second\"\n"),
             Catch::Contains("route premium") && Catch::Contains("'second'"));
}

TEST_CASE("an unknown log level is refused by its key",
          "[server][check-config]") {
  try {
    parse_config("[server]\nlog_level = \"loud\"\n");
    FAIL("no error");
  } catch (const config_error& e) {
    CHECK_THAT(e.what(), Catch::Contains("server.log_level"));
  }
  CHECK(parse_config("[server]\nlog_level = \"warn\"\n").log_level == "warn");
}

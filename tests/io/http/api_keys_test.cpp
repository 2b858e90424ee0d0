// The API key table on a clock moved by hand: sliding minute windows, UTC
// days, Retry-After values, and the keys requests present.

#include <catch2/catch.hpp>

#include <httplib.h>

#include "io/http/api_keys.hpp"
#include "io/http/request_fields.hpp"
#include "messages/error_code.hpp"

using namespace parley;
using std::chrono::hours;
using std::chrono::seconds;
using std::chrono::system_clock;

namespace {

/// A clock that moves only when told; it starts at 2024-01-01 00:00:00 UTC.
struct hand_clock {
  system_clock::time_point now{seconds{1'704'067'200}};

  api_key_table::clock_function function() {
    return [this] { return now; };
  }
};

error_code refusal_of(const key_verdict& verdict) {
  REQUIRE_FALSE(verdict.admitted());
  return code_of(verdict.failure);
}

} // namespace

TEST_CASE("with no keys configured every request is admitted and counted",
          "[io][http][keys]") {
  hand_clock clock;
  api_key_table keys{{}, clock.function()};
  CHECK_FALSE(keys.keys_required());
  CHECK(keys.check("", 10).admitted());
  CHECK(keys.check("anything", 5).admitted());
  auto usage = keys.usage("whatever");
  REQUIRE(usage);
  CHECK(usage->characters == 15);
  CHECK(usage->characters_per_day == 0);
  CHECK(keys.refusals().at("unknown_key") == 0);
}

TEST_CASE("a missing or unknown key is refused as unauthorized",
          "[io][http][keys]") {
  hand_clock clock;
  api_key_table keys{{{"k1", 0, 0}, {"k2", 0, 0}}, clock.function()};
  CHECK(keys.keys_required());
  CHECK(refusal_of(keys.check("", 0)) == error_code::unauthorized);
  CHECK(refusal_of(keys.check("k3", 0)) == error_code::unauthorized);
  CHECK(refusal_of(keys.check("k", 0)) == error_code::unauthorized);
  CHECK(refusal_of(keys.check("k11", 0)) == error_code::unauthorized);
  CHECK(keys.check("k1", 0).admitted());
  CHECK(keys.check("k2", 1'000'000).admitted());
  CHECK_FALSE(keys.usage("k3"));
  CHECK(keys.refusals().at("missing_key") == 1);
  CHECK(keys.refusals().at("unknown_key") == 3);
  CHECK(keys.check("", 0).retry_after == seconds{0});
}

TEST_CASE("requests per minute slide over the last 60 seconds",
          "[io][http][keys]") {
  hand_clock clock;
  api_key_table keys{{{"k", 2, 0}}, clock.function()};
  CHECK(keys.check("k", 0).admitted());
  clock.now += seconds{20};
  CHECK(keys.check("k", 0).admitted());
  clock.now += seconds{10};
  auto refused = keys.check("k", 0);
  CHECK(refusal_of(refused) == error_code::rate_limited);
  // The first request leaves the window 60 s after it: 30 s from now.
  CHECK(refused.retry_after == seconds{30});
  clock.now += std::chrono::milliseconds{29'500};
  CHECK(keys.check("k", 0).retry_after == seconds{1});
  clock.now += std::chrono::milliseconds{500};
  CHECK(keys.check("k", 0).admitted());
  // The second request (at 20 s) is still in the window, with the third.
  refused = keys.check("k", 0);
  CHECK(refusal_of(refused) == error_code::rate_limited);
  CHECK(refused.retry_after == seconds{20});
  CHECK(keys.refusals().at("requests_per_minute") == 3);
}

TEST_CASE("a refused request does not count against the minute",
          "[io][http][keys]") {
  hand_clock clock;
  api_key_table keys{{{"k", 1, 0}}, clock.function()};
  CHECK(keys.check("k", 0).admitted());
  for (int i = 0; i < 5; ++i) {
    clock.now += seconds{10};
    CHECK_FALSE(keys.check("k", 0).admitted());
  }
  clock.now += seconds{10};
  CHECK(keys.check("k", 0).admitted());
}

TEST_CASE("characters per day reset at midnight UTC", "[io][http][keys]") {
  hand_clock clock;
  clock.now += hours{22};
  api_key_table keys{{{"k", 0, 100}, {"free", 0, 0}}, clock.function()};
  CHECK(keys.check("k", 60).admitted());
  CHECK(keys.check("k", 40).admitted());
  auto refused = keys.check("k", 1);
  CHECK(refusal_of(refused) == error_code::rate_limited);
  CHECK(refused.retry_after == hours{2});
  CHECK(keys.check("k", 0).admitted());
  auto usage = keys.usage("k");
  REQUIRE(usage);
  CHECK(usage->characters == 100);
  CHECK(usage->characters_per_day == 100);
  CHECK(keys.check("free", 1'000'000).admitted());
  CHECK(keys.usage("free")->characters_per_day == 0);

  clock.now += hours{2} - seconds{1};
  CHECK(keys.check("k", 1).retry_after == seconds{1});
  clock.now += seconds{1};
  CHECK(keys.usage("k")->characters == 0);
  CHECK(keys.check("k", 100).admitted());
  CHECK(keys.usage("k")->characters == 100);
  CHECK(keys.refusals().at("characters_per_day") == 2);
}

TEST_CASE("a key is read from either Authorization scheme or a field",
          "[io][http][keys]") {
  httplib::Request bearer;
  bearer.set_header("Authorization", "Bearer abc");
  CHECK(presented_key(bearer) == "abc");
  httplib::Request deepl;
  deepl.set_header("Authorization", "DeepL-Auth-Key abc:fx");
  CHECK(presented_key(deepl) == "abc:fx");
  httplib::Request other;
  other.set_header("Authorization", "Basic abc");
  CHECK(presented_key(other).empty());

  auto lt = request_fields::from_json(R"({"q": "hi", "api_key": "k1"})");
  CHECK(presented_key(httplib::Request{}, &lt) == "k1");
  auto legacy = request_fields::from_form("text=hi&auth_key=k2");
  CHECK(presented_key(httplib::Request{}, &legacy) == "k2");
  httplib::Request query;
  query.params.emplace("auth_key", "k3");
  CHECK(presented_key(query) == "k3");
  CHECK(presented_key(httplib::Request{}).empty());
}

TEST_CASE("admit_key sets Retry-After only for a limit", "[io][http][keys]") {
  hand_clock clock;
  api_key_table keys{{{"k", 1, 0}}, clock.function()};
  httplib::Request req;
  req.set_header("Authorization", "Bearer k");
  httplib::Response first;
  CHECK_FALSE(admit_key(keys, req, first, 10));
  CHECK_FALSE(first.has_header("Retry-After"));
  clock.now += seconds{15};
  httplib::Response second;
  auto refused = admit_key(keys, req, second, 10);
  CHECK(code_of(refused) == error_code::rate_limited);
  CHECK(second.get_header_value("Retry-After") == "45");
  httplib::Request wrong;
  wrong.set_header("Authorization", "Bearer x");
  httplib::Response third;
  CHECK(code_of(admit_key(keys, wrong, third)) == error_code::unauthorized);
  CHECK_FALSE(third.has_header("Retry-After"));
}

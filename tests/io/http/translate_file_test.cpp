// The in-memory store of translated files that LibreTranslate's
// `/download_file` serves, under a hand-moved clock.

#include <catch2/catch.hpp>

#include "io/http/file_store.hpp"

using namespace parley;

namespace {

/// A clock the test moves.
struct hand_clock {
  file_store::clock::time_point now{};
  std::function<file_store::clock::time_point()> function() {
    return [this] { return now; };
  }
};

stored_file text_file(const std::string& name, size_t bytes) {
  return {name, "text/plain", std::string(bytes, 'x')};
}

} // namespace

TEST_CASE("the file store expires files and keeps within its bounds",
          "[io][http][libretranslate]") {
  hand_clock clock;
  file_store store{{3, 100, std::chrono::seconds{600}}, clock.function()};

  auto first = store.put(text_file("a.txt", 10));
  REQUIRE_THAT(first, Catch::EndsWith("-a.txt"));
  CHECK(first.size() == 32 + 1 + 5); // 128 random bits in hexadecimal
  REQUIRE(store.get(first));
  CHECK(store.get(first)->name == "a.txt");
  CHECK(store.get(first)->content == std::string(10, 'x'));
  CHECK_FALSE(store.get("0123456789abcdef0123456789abcdef-a.txt"));
  CHECK_FALSE(store.get(""));
  CHECK(store.put(text_file("a.txt", 10)) != first);

  SECTION("a file expires after its time") {
    clock.now += std::chrono::seconds{599};
    CHECK(store.get(first));
    clock.now += std::chrono::seconds{1};
    CHECK_FALSE(store.get(first));
    CHECK(store.size() == 0);
    CHECK(store.bytes() == 0);
  }

  SECTION("the oldest goes when the count is reached") {
    clock.now += std::chrono::seconds{1};
    auto third = store.put(text_file("c.txt", 10));
    auto fourth = store.put(text_file("d.txt", 10));
    CHECK_FALSE(store.get(first));
    CHECK(store.get(third));
    CHECK(store.get(fourth));
    CHECK(store.size() == 3);
  }

  SECTION("the oldest go when the bytes are reached") {
    auto big = store.put(text_file("big.txt", 85));
    CHECK_FALSE(store.get(first));
    CHECK(store.get(big));
    CHECK(store.bytes() <= 100);
    CHECK(store.put(text_file("huge.txt", 101)).empty());
    CHECK(store.get(big));
  }
}

#include <catch2/catch.hpp>

#include <string>

#include "actors/lru_map.hpp"

using parley::lru_map;

TEST_CASE("an lru map finds what was put and evicts the oldest unused entry",
          "[actors]") {
  lru_map<int> map{3};
  CHECK_FALSE(map.put("a", 1));
  CHECK_FALSE(map.put("b", 2));
  CHECK_FALSE(map.put("c", 3));
  REQUIRE(map.find("a") != nullptr);
  CHECK(*map.find("a") == 1);
  CHECK(map.put("d", 4)); // evicts b, the least recently used
  CHECK(map.find("b") == nullptr);
  CHECK(map.contains("a"));
  CHECK(map.contains("c"));
  CHECK(map.contains("d"));
  CHECK(map.size() == 3);
}

TEST_CASE("putting an existing key replaces its value without evicting",
          "[actors]") {
  lru_map<std::string> map{2};
  map.put("k", "old");
  map.put("j", "other");
  CHECK_FALSE(map.put("k", "new"));
  CHECK(*map.find("k") == "new");
  CHECK(map.size() == 2);
}

TEST_CASE("an lru map of capacity zero stores nothing", "[actors]") {
  lru_map<int> map{0};
  CHECK_FALSE(map.put("a", 1));
  CHECK(map.find("a") == nullptr);
  CHECK(map.size() == 0);
}

TEST_CASE("shrinking an lru map evicts the least recently used entries",
          "[actors]") {
  lru_map<int> map{4};
  for (int i = 0; i < 4; ++i)
    map.put(std::to_string(i), i);
  map.find("0");
  CHECK(map.set_capacity(2) == 2);
  CHECK(map.contains("0"));
  CHECK(map.contains("3"));
  CHECK_FALSE(map.contains("1"));
}

#include <catch2/catch.hpp>

#include <string>

#include "actors/audio_cache.hpp"
#include "actors/sha256.hpp"

using namespace parley;

// Reference digests from Python's hashlib.
TEST_CASE("sha256 matches the reference digests", "[actors]") {
  CHECK(sha256_hex("")
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc")
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // Longer than one block, with a tail that needs a second padding block.
  CHECK(sha256_hex(std::string(1000, 'a'))
        == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
}

TEST_CASE("the audio hash is the first 32 hex digits of the digest",
          "[actors]") {
  CHECK(audio_hash("abc") == "ba7816bf8f01cfea414140de5dae2223");
}

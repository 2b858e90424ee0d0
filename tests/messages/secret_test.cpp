#include <catch2/catch.hpp>

#include <string>

#include "messages/secret.hpp"

using parley::secrets_equal;

TEST_CASE("secrets are equal only when every byte and the length agree",
          "[messages]") {
  CHECK(secrets_equal("s3cret-token", "s3cret-token"));
  CHECK(secrets_equal("", ""));
  CHECK_FALSE(secrets_equal("s3cret-token", "s3cret-tokeN"));
  CHECK_FALSE(secrets_equal("S3cret-token", "s3cret-token"));
  CHECK_FALSE(secrets_equal("s3cret", "s3cret-token"));
  CHECK_FALSE(secrets_equal("s3cret-token", "s3cret"));
  CHECK_FALSE(secrets_equal("", "s3cret"));
  CHECK_FALSE(secrets_equal("s3cret", ""));
  // A prefix padded with NULs is still another secret.
  CHECK_FALSE(secrets_equal(std::string("ab\0", 3), "ab"));
}

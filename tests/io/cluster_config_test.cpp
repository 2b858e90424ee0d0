#include <catch2/catch.hpp>

#include "io/config_file.hpp"

using namespace parley;

namespace {

std::string error_of(const std::string& text,
                     const std::vector<std::string>& overrides = {}) {
  try {
    parse_config(text, overrides);
  } catch (const config_error& e) {
    return e.what();
  }
  return "no error";
}

} // namespace

TEST_CASE("[cluster] sets every key of fronts and workers", "[io][cluster]") {
  auto cfg = parse_config(R"(
[cluster]
port = 7400
bind = "10.0.0.5"
token = "s3cret"
node_name = "gpu-1"
join = ["front-a:7400", "front-b:7400"]
heartbeat_ms = 250
peer_timeout_ms = 2000
reconnect_min_ms = 50
reconnect_max_ms = 4000
tls_certificate = "/etc/parley/node.pem"
tls_key = "/etc/parley/node.key"
tls_ca = "/etc/parley/ca.pem"
)");
  const auto& c = cfg.cluster;
  CHECK(c.listen);
  CHECK(c.port == 7400);
  CHECK(c.bind == "10.0.0.5");
  CHECK(c.token == "s3cret");
  CHECK(c.node_name == "gpu-1");
  CHECK(c.join == std::vector<std::string>{"front-a:7400", "front-b:7400"});
  CHECK(c.heartbeat == std::chrono::milliseconds(250));
  CHECK(c.peer_timeout == std::chrono::milliseconds(2000));
  CHECK(c.reconnect_min == std::chrono::milliseconds(50));
  CHECK(c.reconnect_max == std::chrono::milliseconds(4000));
  CHECK(c.tls());
  CHECK(c.tls_ca == "/etc/parley/ca.pem");
}

TEST_CASE("the cluster port stays closed and on loopback unless configured",
          "[io][cluster]") {
  auto cfg = parse_config("");
  CHECK_FALSE(cfg.cluster.listen);
  CHECK(cfg.cluster.bind == "127.0.0.1");
  CHECK(cfg.cluster.peer_timeout <= std::chrono::seconds(3));
  CHECK_FALSE(cfg.cluster.tls());
  auto opened = parse_config("", {"cluster.port=0"});
  CHECK(opened.cluster.listen);
  CHECK(opened.cluster.bind == "127.0.0.1");
}

TEST_CASE("a broken [cluster] is refused naming the key", "[io][cluster]") {
  CHECK_THAT(error_of("[cluster]\nprot = 1\n"),
             Catch::Contains("cluster.prot"));
  CHECK_THAT(error_of("[cluster]\nport = 70000\n"),
             Catch::Contains("cluster.port"));
  CHECK_THAT(error_of("[cluster]\njoin = \"a:1\"\n"),
             Catch::Contains("cluster.join"));
  CHECK_THAT(error_of("[cluster]\nheartbeat_ms = 0\n"),
             Catch::Contains("cluster.heartbeat_ms"));
  CHECK_THAT(error_of("[cluster]\ntls_certificate = \"a.pem\"\n"),
             Catch::Contains("cluster.tls_key"));
}

TEST_CASE("a model without local replicas needs a cluster port",
          "[io][cluster]") {
  const std::string model = "[models.x]\nkind = \"echo\"\nreplicas = 0\n";
  CHECK_THAT(error_of(model), Catch::Contains("models.x.replicas"));
  auto cfg = parse_config(model + "[cluster]\nport = 7400\n");
  REQUIRE(cfg.runtime.models.size() == 1);
  CHECK(cfg.runtime.models[0].replicas == 0);
}

// The cluster port over TLS (CAF's OpenSSL module), with a certificate
// authority and a node certificate the test makes with the openssl program.

#include <catch2/catch.hpp>

#include <csignal>
#include <string>
#include <thread>

#include "tests/support/cluster_nodes.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/zmq_client.hpp"

using namespace parley::test;
using nlohmann::json;

namespace {

/// A CA, and a node key and certificate it signed.
struct certificates {
  temp_dir dir;
  std::string ca = dir.file("ca.pem");
  std::string cert = dir.file("node.pem");
  std::string key = dir.file("node.key");

  certificates() {
    auto ca_key = dir.file("ca.key");
    auto request = dir.file("node.csr");
    auto openssl = [](const std::string& args) {
      auto result = run_command({"/bin/sh", "-c", "openssl " + args + " 2>&1"});
      REQUIRE(result.exit_status == 0);
    };
    openssl("req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=parley-ca"
            " -keyout "
            + ca_key + " -out " + ca);
    openssl("req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout " + key
            + " -out " + request);
    openssl("x509 -req -days 2 -in " + request + " -CA " + ca + " -CAkey "
            + ca_key + " -CAcreateserial -out " + cert);
  }

  std::string table() const {
    return "tls_certificate = \"" + cert + "\"\ntls_key = \"" + key
           + "\"\ntls_ca = \"" + ca + "\"\n";
  }

  std::vector<std::string> worker_flags() const {
    return {"--set", "cluster.tls_certificate=" + cert,
            "--set", "cluster.tls_key=" + key,
            "--set", "cluster.tls_ca=" + ca};
  }
};

const std::string worker_config = "[models.apertium]\nkind = \"apertium\"\n";

std::string front_config(uint16_t port, const certificates& certs) {
  return front_cluster_table(port, certs.table())
         + "[models.apertium]\nkind = \"apertium\"\nreplicas = 0\n";
}

} // namespace

TEST_CASE("a worker joins a TLS front over TLS and serves", "[cluster]") {
  certificates certs;
  auto cluster_port = free_port();
  server_process front{front_config(cluster_port, certs)};
  CHECK_THAT(front.log(), Catch::Contains("(TLS)"));
  worker_process worker{"tls-worker",
                        "127.0.0.1:" + std::to_string(cluster_port),
                        worker_config, certs.worker_flags()};
  zmq_client client{front.pull_port, front.pub_port};
  REQUIRE(client.wait_until_subscribed());
  client.send(json{{"type", "translation"},
                   {"taskId", "tls-1"},
                   {"messageId", "m-1"},
                   {"text", "The cat is black."},
                   {"sourceLanguage", "en"},
                   {"targetLanguages", {"es"}},
                   {"conversationId", "c-1"},
                   {"modelType", "basic"}});
  auto done = client.receive_until([](const json& event) {
    return event.value("type", "") == "translation_completed";
  });
  REQUIRE_FALSE(done.is_null());
  CHECK(done["taskId"] == "tls-1");
  CHECK_THAT(done["result"]["translatedText"].get<std::string>(),
             Catch::Contains("gato"));
  CHECK(replicas_per_node(front.http_port, "apertium")
        == std::map<std::string, int>{{"tls-worker", 1}});
}

TEST_CASE("a plain join to a TLS front is refused", "[cluster]") {
  certificates certs;
  auto cluster_port = free_port();
  server_process front{front_config(cluster_port, certs)};
  worker_process plain{"plain",
                       "127.0.0.1:" + std::to_string(cluster_port),
                       worker_config,
                       {},
                       /*wait_for_join=*/false};
  // Its attempts fail at the handshake; it keeps trying with backoff.
  CHECK(plain.process().wait_for_output("cannot reach front"));
  CHECK(plain.process().wait_for_output("cannot reach front"));
  auto cluster = cluster_of(front.http_port);
  for (const auto& node : cluster["nodes"])
    CHECK(node["state"] == "front");
  CHECK(replicas_per_node(front.http_port, "apertium").empty());
}

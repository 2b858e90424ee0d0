#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include "server/config_file.hpp"
#include "tests/support/temp_dir.hpp"

using namespace parley;

namespace {

/// The message of the configuration error `text` gives, or "no error".
std::string message_of(const std::string& text,
                       const std::vector<std::string>& overrides = {}) {
  try {
    parse_config(text, overrides);
  } catch (const config_error& e) {
    return e.what();
  }
  return "no error";
}

} // namespace

TEST_CASE("an empty configuration gives the embedded defaults", "[io]") {
  auto cfg = parse_config("");
  REQUIRE(cfg.runtime.models.size() == 3);
  CHECK(cfg.runtime.models[0].name == "apertium");
  CHECK(cfg.runtime.models[0].kind == "apertium");
  CHECK(cfg.runtime.models[1].kind == "pocketsphinx");
  CHECK(cfg.runtime.models[2].kind == "espeak");
  CHECK(cfg.runtime.routes.at("transcription") == "pocketsphinx");
  CHECK(cfg.runtime.routes.at("default") == "apertium");
  CHECK(cfg.runtime.routes.at("premium") == "apertium");
  CHECK(cfg.runtime.max_text_chars == 10000);
  CHECK(cfg.runtime.drain_timeout == std::chrono::seconds(30));
  CHECK(cfg.log_level == "info");
}

TEST_CASE("a configuration file sets every section", "[io]") {
  auto cfg = parse_config(R"(
[server]
log_level = "debug"
threads = 2
scheduler = "stealing"
max_text_chars = 500
request_timeout_ms = 1500
drain_timeout_ms = 2000

[cache]
capacity = 42

[models.fast]
kind = "apertium"
replicas = 3
max_batch = 16
max_delay_ms = 5
queue_capacity = 64
max_failed_starts = 7
preload = "x"
mark_unknown = true
max_hops = 12

[models.text]
kind = "apertium"
mark_unknown = true

[routes]
default = "text"
basic = "fast"
)");
  CHECK(cfg.log_level == "debug");
  CHECK(cfg.scheduler.threads == 2);
  CHECK(cfg.scheduler.policy == "stealing");
  CHECK(cfg.runtime.max_text_chars == 500);
  CHECK(cfg.runtime.request_timeout == std::chrono::milliseconds(1500));
  CHECK(cfg.runtime.drain_timeout == std::chrono::seconds(2));
  CHECK(cfg.runtime.cache_capacity == 42);
  REQUIRE(cfg.runtime.models.size() == 2);
  const auto& fast = cfg.runtime.models[0];
  CHECK(fast.name == "fast");
  CHECK(fast.replicas == 3);
  CHECK(fast.batching.max_batch == 16);
  CHECK(fast.batching.max_delay == std::chrono::milliseconds(5));
  CHECK(fast.batching.queue_capacity == 64);
  CHECK(fast.max_failed_starts == 7);
  CHECK(fast.options.get_string("preload", "") == "x");
  CHECK(fast.options.get_bool("mark_unknown", false));
  CHECK(fast.options.get_int("max_hops", 0) == 12);
  CHECK(cfg.runtime.models[1].options.get_bool("mark_unknown", false));
  CHECK(cfg.runtime.routes.at("default") == "text");
  CHECK(cfg.runtime.routes.at("basic") == "fast");
}

TEST_CASE("models without routes route everything to the first model", "[io]") {
  auto cfg = parse_config("[models.only]\nkind = \"echo\"\n");
  REQUIRE(cfg.runtime.routes.size() == 1);
  CHECK(cfg.runtime.routes.at("default") == "only");
}

TEST_CASE("overrides win over the file and accept bare strings", "[io]") {
  auto cfg = parse_config("[cache]\ncapacity = 1\n",
                          {"cache.capacity=99", "server.log_level=warn",
                           "models.apertium.replicas=2",
                           "models.apertium.kind=apertium"});
  CHECK(cfg.runtime.cache_capacity == 99);
  CHECK(cfg.log_level == "warn");
  REQUIRE(cfg.runtime.models.size() == 1);
  CHECK(cfg.runtime.models[0].replicas == 2);
}

TEST_CASE("configuration mistakes are reported by key", "[io]") {
  CHECK_THAT(message_of("[server]\nlog_levle = \"x\"\n"),
             Catch::Contains("server.log_levle"));
  CHECK_THAT(message_of("[cache]\ncapacity = -1\n"),
             Catch::Contains("cache.capacity"));
  CHECK_THAT(message_of("[cache]\ncapacity = \"big\"\n"),
             Catch::Contains("cache.capacity"));
  CHECK_THAT(message_of("[models.x]\nreplicas = 1\n"),
             Catch::Contains("models.x.kind"));
  CHECK_THAT(message_of("[models.x]\nkind = \"echo\"\nreplicas = 0\n"),
             Catch::Contains("models.x.replicas"));
  CHECK_THAT(message_of("[nope]\n"), Catch::Contains("[nope]"));
  CHECK_THAT(message_of("this is not toml"), Catch::Contains("invalid TOML"));
  CHECK_THAT(message_of("", {"no-equals-sign"}),
             Catch::Contains("no-equals-sign"));
}

TEST_CASE("[[http.api_keys]] reads keys and their limits", "[io][http][keys]") {
  CHECK(parse_config("").api_keys.empty());
  test::temp_dir dir;
  {
    std::ofstream out{dir.file("key")};
    out << "from-file\n";
  }
  ::setenv("PARLEY_TEST_API_KEY", "from-env", 1);
  auto cfg = parse_config("[[http.api_keys]]\n"
                          "key = \"k1\"\n"
                          "requests_per_minute = 60\n"
                          "characters_per_day = 100000\n"
                          "[[http.api_keys]]\n"
                          "key_env = \"PARLEY_TEST_API_KEY\"\n"
                          "[[http.api_keys]]\n"
                          "key_file = \""
                          + dir.file("key") + "\"\ncharacters_per_day = 5\n");
  ::unsetenv("PARLEY_TEST_API_KEY");
  REQUIRE(cfg.api_keys.size() == 3);
  CHECK(cfg.api_keys[0].key == "k1");
  CHECK(cfg.api_keys[0].requests_per_minute == 60);
  CHECK(cfg.api_keys[0].characters_per_day == 100000);
  CHECK(cfg.api_keys[1].key == "from-env");
  CHECK(cfg.api_keys[1].requests_per_minute == 0);
  CHECK(cfg.api_keys[1].characters_per_day == 0);
  CHECK(cfg.api_keys[2].key == "from-file");
  CHECK(cfg.api_keys[2].characters_per_day == 5);
}

TEST_CASE("a broken [[http.api_keys]] is refused naming the entry",
          "[io][http][keys]") {
  CHECK_THAT(message_of("[http]\napi_keys = \"k\"\n"),
             Catch::Contains("http.api_keys must be a list"));
  CHECK_THAT(message_of("[[http.api_keys]]\nrequests_per_minute = 1\n"),
             Catch::Contains("http.api_keys[0] needs one of key"));
  CHECK_THAT(message_of("[[http.api_keys]]\nkey = \"\"\n"),
             Catch::Contains("http.api_keys[0]: the key is empty"));
  CHECK_THAT(message_of("[[http.api_keys]]\nkey = \"a\"\n"
                        "[[http.api_keys]]\nkey = \"a\"\n"),
             Catch::Contains("http.api_keys[1]: the same key"));
  CHECK_THAT(message_of("[[http.api_keys]]\nkey = \"a\"\nrpm = 3\n"),
             Catch::Contains("unknown key http.api_keys[0].rpm"));
  CHECK_THAT(
      message_of("[[http.api_keys]]\nkey = \"a\"\nrequests_per_minute = -1\n"),
      Catch::Contains("http.api_keys[0].requests_per_minute"));
  CHECK_THAT(
      message_of("[[http.api_keys]]\nkey_env = \"PARLEY_NO_SUCH_VAR\"\n"),
      Catch::Contains("$PARLEY_NO_SUCH_VAR is not set"));
  CHECK_THAT(message_of("[[http.api_keys]]\nkey_file = \"/nonexistent/k\"\n"),
             Catch::Contains("cannot read /nonexistent/k"));
}

TEST_CASE("the gateway section sets sockets and limits", "[io]") {
  auto defaults = parse_config("");
  CHECK(defaults.gateway.bind == "127.0.0.1");
  CHECK(defaults.gateway.pull_port == 5555);
  CHECK(defaults.gateway.pub_port == 5558);
  CHECK(defaults.gateway.http_port == 8000);
  auto cfg = parse_config(R"(
[gateway]
bind = "0.0.0.0"
pull_port = 6000
pub_port = 6001
http_port = 0
max_frames = 4
max_json_bytes = 1000
max_audio_bytes = 2000
audio_dir = "/srv/audio"
audio_url_fetch = false
)");
  CHECK(cfg.gateway.bind == "0.0.0.0");
  CHECK(cfg.gateway.pull_port == 6000);
  CHECK(cfg.gateway.pub_port == 6001);
  CHECK(cfg.gateway.http_port == 0);
  CHECK(cfg.gateway.max_frames == 4);
  CHECK(cfg.gateway.max_json_bytes == 1000);
  CHECK(cfg.gateway.max_audio_bytes == 2000);
  CHECK(cfg.gateway.audio_dir == "/srv/audio");
  CHECK_THROWS_WITH(parse_config("[gateway]\npull_port = 70000\n"),
                    Catch::Contains("gateway.pull_port"));
}

TEST_CASE("the audio settings are read and checked", "[io]") {
  auto defaults = parse_config("");
  CHECK(defaults.runtime.window_seconds == 30);
  CHECK(defaults.gateway.output_audio_format == "opus");
  auto cfg = parse_config(R"(
[server]
audio_window_seconds = 10
audio_timeout_ms = 900000
[gateway]
output_audio_format = "mp3"
max_audio_seconds = 120
)");
  CHECK(cfg.runtime.window_seconds == 10);
  CHECK(cfg.runtime.audio_timeout == std::chrono::minutes(15));
  CHECK(cfg.gateway.output_audio_format == "mp3");
  CHECK(cfg.gateway.max_audio_seconds == 120);
  CHECK_THROWS_WITH(parse_config("[server]\naudio_window_seconds = 45\n"),
                    Catch::Contains("server.audio_window_seconds"));
  CHECK_THROWS_WITH(parse_config("[gateway]\noutput_audio_format = \"aac\"\n"),
                    Catch::Contains("gateway.output_audio_format"));
  CHECK_THROWS_WITH(parse_config("[gateway]\nmax_audio_seconds = 0\n"),
                    Catch::Contains("gateway.max_audio_seconds"));
}

TEST_CASE("[cache.redis] turns the shared tier on only with a url", "[io]") {
  CHECK_FALSE(parley::parse_config("").redis);
  CHECK_FALSE(parley::parse_config("[cache.redis]\nttl_s = 60\n").redis);
  auto cfg = parley::parse_config(R"(
[cache]
audio_capacity = 7
[cache.redis]
url = "redis://cache.local:6380/2"
password = "secret"
key_prefix = "parley-test:"
ttl_s = 3600
timeout_ms = 8
lock_wait_ms = 0
)");
  REQUIRE(cfg.redis);
  CHECK(cfg.redis->url == "redis://cache.local:6380/2");
  CHECK(cfg.redis->password == "secret");
  CHECK(cfg.redis->key_prefix == "parley-test:");
  CHECK(cfg.redis->ttl_s == 3600);
  CHECK(cfg.redis->timeout == std::chrono::milliseconds(8));
  CHECK(cfg.redis->lock_wait == std::chrono::milliseconds(0));
  CHECK(cfg.runtime.audio_cache_capacity == 7);
  CHECK_FALSE(parley::parse_config(
                  "[cache.redis]\nurl = \"redis://h\"\nenabled = false\n")
                  .redis);
}

TEST_CASE("the old service's variables override [cache.redis]", "[io]") {
  // What parleyd makes of REDIS_URL and TRANSLATION_CACHE_TTL.
  auto cfg = parley::parse_config(
      "[cache.redis]\nurl = \"redis://file:6379\"\nttl_s = 10\n",
      {"cache.redis.url=redis://env:6390/1", "cache.redis.ttl_s=99"});
  REQUIRE(cfg.redis);
  CHECK(cfg.redis->url == "redis://env:6390/1");
  CHECK(cfg.redis->ttl_s == 99);
  auto from_env_only =
      parley::parse_config("", {"cache.redis.url=redis://env:6390"});
  CHECK(from_env_only.redis);
}

TEST_CASE("a bad [cache.redis] is refused by name", "[io]") {
  CHECK_THROWS_WITH(
      parley::parse_config("[cache.redis]\nurl = \"rediss://h\"\n"),
      Catch::Contains("cache.redis.url"));
  CHECK_THROWS_WITH(
      parley::parse_config("[cache.redis]\nurl = \"redis://h\"\nfoo = 1\n"),
      Catch::Contains("cache.redis.foo"));
  CHECK_THROWS_WITH(parley::parse_config(
                        "[cache.redis]\nurl = \"redis://h\"\ntimeout_ms = 0\n"),
                    Catch::Contains("timeout_ms"));
}

TEST_CASE("model options are checked against their kind at load", "[io]") {
  auto nllb = std::string{"[models.big]\nkind = \"nllb\"\npath = \"/m\"\n"};
  auto unknown = message_of(nllb + "quantise = \"int8\"\n");
  CHECK_THAT(unknown, Catch::Contains("models.big.quantise"));
  CHECK_THAT(unknown, Catch::Contains("known: path, compute_type, quantize"));
  CHECK_THAT(message_of(nllb + "threads = \"2\"\n"),
             Catch::Contains("models.big.threads must be an integer"));
  CHECK_THAT(message_of(nllb + "num_beams = 1.5\n"),
             Catch::Contains("models.big.num_beams"));
  CHECK_THAT(message_of(nllb + "quantize = \"fp4\"\n"),
             Catch::Contains("models.big.quantize"));
  CHECK_THAT(message_of("[models.a]\nkind = \"apertium\"\nmark_unknown = 1\n"),
             Catch::Contains("models.a.mark_unknown must be a boolean"));
  CHECK_THAT(message_of("[models.v]\nkind = \"espeak\"\nreplicas = 2\n"),
             Catch::Contains("models.v.replicas"));
  CHECK_THAT(message_of("", {"models.apertium.kind=apertium",
                             "models.apertium.quantise=int8"}),
             Catch::Contains("models.apertium.quantise"));
  auto fine = parse_config(nllb
                               + "length_penalty = 1\nquantize = \"int8\"\n"
                                 "nice = 5\ncompute_type = \"auto\"\n",
                           {"models.big.threads=2"});
  REQUIRE(fine.runtime.models.size() == 1);
  CHECK(fine.runtime.models[0].options.get_int("threads", 0) == 2);
  CHECK(fine.runtime.models[0].options.get_string("quantize", "") == "int8");
}

TEST_CASE("[cluster] sets every key of fronts and workers", "[io][cluster]") {
  auto cfg = parse_config(R"(
[cluster]
port = 7400
bind = "10.0.0.5"
token = "s3cret"
node_name = "gpu-1"
join = ["front-a:7400", "front-b:7400"]
workers = ["gpu-1:7401"]
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
  CHECK(c.workers == std::vector<std::string>{"gpu-1:7401"});
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
  CHECK_THAT(message_of("[cluster]\nprot = 1\n"),
             Catch::Contains("cluster.prot"));
  CHECK_THAT(message_of("[cluster]\nport = 70000\n"),
             Catch::Contains("cluster.port"));
  CHECK_THAT(message_of("[cluster]\njoin = \"a:1\"\n"),
             Catch::Contains("cluster.join"));
  CHECK_THAT(message_of("[cluster]\nheartbeat_ms = 0\n"),
             Catch::Contains("cluster.heartbeat_ms"));
  CHECK_THAT(message_of("[cluster]\ntls_certificate = \"a.pem\"\n"),
             Catch::Contains("cluster.tls_key"));
}

TEST_CASE("a model without local replicas needs a cluster port",
          "[io][cluster]") {
  const std::string model = "[models.x]\nkind = \"echo\"\nreplicas = 0\n";
  CHECK_THAT(message_of(model), Catch::Contains("models.x.replicas"));
  auto cfg = parse_config(model + "[cluster]\nport = 7400\n");
  REQUIRE(cfg.runtime.models.size() == 1);
  CHECK(cfg.runtime.models[0].replicas == 0);
  auto dialling = parse_config(model + "[cluster]\nworkers = [\"w:7401\"]\n");
  CHECK(dialling.runtime.models[0].replicas == 0);
}

TEST_CASE("every address of [cluster] workers and join is checked at load, "
          "naming the bad entry",
          "[io][cluster]") {
  for (const auto* bad : {"worker-1", "w:0", "w:70000", ":7401", "w:port"}) {
    auto message = message_of("[cluster]\nworkers = [\"w:7401\", \""
                              + std::string{bad} + "\"]\n");
    CHECK_THAT(message, Catch::Contains("cluster.workers"));
    CHECK_THAT(message, Catch::Contains(bad));
    CHECK_THAT(message_of("[cluster]\njoin = [\"" + std::string{bad} + "\"]\n"),
               Catch::Contains("cluster.join"));
  }
  auto good =
      parse_config("[cluster]\nworkers = [\"w:7401\", \"10.0.0.2:7402\"]\n");
  CHECK(good.cluster.workers
        == std::vector<std::string>{"w:7401", "10.0.0.2:7402"});
}

TEST_CASE("the annotated example configuration loads", "[io]") {
  const auto path =
      std::string{PARLEY_TESTS_DIR} + "/../docs/parley.example.toml";
  auto cfg = load_config_file(path);
  // The models it declares are the embedded defaults, by name (TOML tables
  // are not kept in file order).
  std::map<std::string, const model_config*> models;
  for (const auto& model : cfg.runtime.models)
    models[model.name] = &model;
  REQUIRE(models.size() == 3);
  REQUIRE(models.count("apertium") == 1);
  REQUIRE(models.count("pocketsphinx") == 1);
  REQUIRE(models.count("espeak") == 1);
  const auto& apertium = *models.at("apertium");
  CHECK(apertium.kind == "apertium");
  CHECK(apertium.replicas == 1);
  CHECK(apertium.batching.max_batch == 8);
  CHECK(apertium.batching.queue_capacity == 1024);
  CHECK(apertium.options.get_string("preload", "") == "en,es,fr,ca,pt");
  CHECK(apertium.options.get_int("max_hops", 0) == 3);
  CHECK(apertium.options.get_string("modes_dir", "")
        == "/usr/share/apertium/modes");
  const auto& sphinx = *models.at("pocketsphinx");
  CHECK(sphinx.kind == "pocketsphinx");
  CHECK(sphinx.options.get_int("nice", 0) == 19);
  CHECK(sphinx.options.get_int("window_seconds", 0) == 30);
  const auto& espeak = *models.at("espeak");
  CHECK(espeak.kind == "espeak");
  CHECK(espeak.options.get_int("rate", 0) == 175);
  CHECK(cfg.runtime.routes.at("default") == "apertium");
  CHECK(cfg.runtime.routes.at("premium") == "apertium");
  CHECK(cfg.runtime.routes.at("transcription") == "pocketsphinx");
  CHECK(cfg.runtime.routes.at("synthesis") == "espeak");
  CHECK((cfg.runtime.routes == parse_config("").runtime.routes));
  CHECK(cfg.log_level == "info");
  CHECK(cfg.scheduler.policy == "sharing");
  CHECK(cfg.runtime.max_text_chars == 10000);
  CHECK(cfg.runtime.request_timeout == std::chrono::milliseconds(120000));
  CHECK(cfg.runtime.cache_capacity == 100000);
  CHECK(cfg.runtime.detection.engine == "cld2");
  CHECK(cfg.runtime.detection.min_letters == 30);
  CHECK(cfg.runtime.detection.languages
        == parse_config("").runtime.detection.languages);
  CHECK(cfg.runtime.detection.conversations == 100000);
  CHECK(cfg.runtime.detection.conversation_depth == 8);
  CHECK(cfg.gateway.bind == "127.0.0.1");
  CHECK(cfg.gateway.pull_port == 5555);
  CHECK(cfg.gateway.pub_port == 5558);
  CHECK(cfg.gateway.http_port == 8000);
  CHECK(cfg.gateway.max_audio_bytes == 26214400);
  CHECK(cfg.gateway.output_audio_format == "opus");
  CHECK(cfg.http.workers == 4);
  CHECK(cfg.admin_token.empty());
  CHECK(cfg.api_keys.empty());
  CHECK(cfg.cluster.bind == "127.0.0.1");
  CHECK(cfg.cluster.join.empty());
  // The Redis URL, the cluster port and the TLS files stay commented out...
  CHECK_FALSE(cfg.redis.has_value());
  CHECK_FALSE(cfg.cluster.listen);
  CHECK_FALSE(cfg.cluster.tls());
  // ...and, once set, go with the keys the file gives their sections.
  auto served = load_config_file(
      path, {"cache.redis.url=redis://localhost:6379/0", "cluster.port=7400",
             "cluster.tls_certificate=/etc/parley/node.pem",
             "cluster.tls_key=/etc/parley/node.key"});
  REQUIRE(served.redis.has_value());
  CHECK(served.redis->url == "redis://localhost:6379/0");
  CHECK(served.redis->ttl_s == 2592000);
  CHECK(served.redis->timeout == std::chrono::milliseconds(5));
  CHECK(served.redis->lock_wait == std::chrono::milliseconds(2000));
  CHECK(served.cluster.listen);
  CHECK(served.cluster.port == 7400);
  CHECK(served.cluster.tls());
}

TEST_CASE("the PUB socket's linger and high-water mark are read and checked",
          "[io]") {
  auto defaults = parse_config("");
  CHECK(defaults.gateway.pub_linger == std::chrono::milliseconds(2000));
  CHECK(defaults.gateway.pub_hwm == 100000);
  auto set = parse_config("[gateway]\npub_linger_ms = 500\npub_hwm = 5000\n");
  CHECK(set.gateway.pub_linger == std::chrono::milliseconds(500));
  CHECK(set.gateway.pub_hwm == 5000);
  CHECK_THAT(message_of("[gateway]\npub_hwm = 0\n"),
             Catch::Contains("gateway.pub_hwm"));
  CHECK_THAT(message_of("[gateway]\npub_linger_ms = -1\n"),
             Catch::Contains("gateway.pub_linger_ms"));
}

TEST_CASE("[metrics] histograms turns the histograms off, from the file or "
          "--set, and takes only a boolean",
          "[io]") {
  CHECK(parse_config("").runtime.histograms);
  CHECK_FALSE(
      parse_config("[metrics]\nhistograms = false\n").runtime.histograms);
  CHECK_FALSE(
      parse_config("", {"metrics.histograms=false"}).runtime.histograms);
  CHECK_THAT(message_of("[metrics]\nhistograms = 1\n"),
             Catch::Contains("metrics.histograms must be true or false"));
  CHECK_THAT(message_of("[metrics]\nbuckets = 3\n"),
             Catch::Contains("unknown key metrics.buckets"));
}

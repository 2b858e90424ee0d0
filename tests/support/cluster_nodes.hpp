#pragma once

// A cluster of real parleyd processes on loopback: a front with a cluster
// port (a server_process) and workers that join it.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/process.hpp"
#include "tests/support/zmq_client.hpp"

namespace parley::test {

/// `parleyd --role worker` joining `front_address` (empty: none; a static
/// worker waits to be dialled) as `node`, with `config` as its TOML file
/// (empty: the embedded defaults). Unless told not to, waits until it joined.
class worker_process {
public:
  worker_process(const std::string& node, const std::string& front_address,
                 const std::string& config = "",
                 std::vector<std::string> extra_args = {},
                 bool wait_for_join = true);
  ~worker_process();

  pid_t pid() const {
    return process_->pid();
  }

  child_process& process() {
    return *process_;
  }

  /// Sends `signal` and returns the exit status (-1 if killed by it).
  int stop(int signal);

private:
  std::string config_path_;
  std::unique_ptr<child_process> process_;
};

/// `GET /cluster` of the front at `http_port`, parsed.
nlohmann::json cluster_of(uint16_t http_port);

/// Replicas of `model` per node, as `/cluster` reports them.
std::map<std::string, int> replicas_per_node(uint16_t http_port,
                                             const std::string& model);

/// The value of the Prometheus sample `name` (labels included) on the front's
/// `/metrics`, or -1 when it is absent.
double metric_of(uint16_t http_port, const std::string& name);

/// Polls until `ready()` holds (a cluster changes on its own schedule:
/// joins, losses, loads); false after a minute. For waiting on state, never
/// for timing.
bool cluster_reaches(const std::function<bool()>& ready);

/// Receives gateway events until `count` tasks have their final event
/// (`translation_completed` or `translation_error`); returns them by task
/// id, each once. Stops early when nothing arrives for 30 s.
std::map<std::string, nlohmann::json> final_events(zmq_client& client,
                                                   size_t count);

/// A `[cluster]` table for a front on `port`, with fast failure detection
/// for the tests, and any `extra` lines.
std::string front_cluster_table(uint16_t port, const std::string& extra = "");

} // namespace parley::test

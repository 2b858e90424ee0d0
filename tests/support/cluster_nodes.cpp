#include "tests/support/cluster_nodes.hpp"

#include <atomic>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <unistd.h>

#include "tests/support/server_process.hpp"

namespace parley::test {

worker_process::worker_process(const std::string& node,
                               const std::string& front_address,
                               const std::string& config,
                               std::vector<std::string> extra_args,
                               bool wait_for_join) {
  static std::atomic<int> counter{0};
  std::vector<std::string> argv{bin_path("parleyd"), "--role", "worker",
                                "--node-name", node};
  if (!front_address.empty()) {
    argv.push_back("--join");
    argv.push_back(front_address);
  }
  if (!config.empty()) {
    config_path_ = "/tmp/parley_worker_" + std::to_string(getpid()) + "_"
                   + std::to_string(++counter) + ".toml";
    std::ofstream{config_path_} << config;
    argv.push_back("--config");
    argv.push_back(config_path_);
  }
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  process_ = std::make_unique<child_process>(argv);
  if (wait_for_join && !process_->wait_for_output("joined front"))
    throw std::runtime_error("worker " + node + " did not join:\n"
                             + process_->output());
}

worker_process::~worker_process() {
  process_.reset();
  if (!config_path_.empty())
    std::remove(config_path_.c_str());
}

int worker_process::stop(int signal) {
  return process_->stop(signal);
}

nlohmann::json cluster_of(uint16_t http_port) {
  auto reply = http_get(http_port, "/cluster");
  if (reply.status != 200)
    return {};
  return nlohmann::json::parse(reply.body, nullptr, false);
}

std::map<std::string, int> replicas_per_node(uint16_t http_port,
                                             const std::string& model) {
  std::map<std::string, int> result;
  auto cluster = cluster_of(http_port);
  if (!cluster.is_object())
    return result;
  for (const auto& pool : cluster["models"])
    if (pool["name"] == model)
      for (const auto& replica : pool["replicas"])
        ++result[replica["node"].get<std::string>()];
  return result;
}

double metric_of(uint16_t http_port, const std::string& name) {
  auto reply = http_get(http_port, "/metrics");
  std::istringstream lines{reply.body};
  for (std::string line; std::getline(lines, line);)
    if (line.compare(0, name.size() + 1, name + " ") == 0)
      return std::stod(line.substr(name.size() + 1));
  return -1;
}

bool cluster_reaches(const std::function<bool()>& ready) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!ready()) {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return true;
}

std::map<std::string, nlohmann::json> final_events(zmq_client& client,
                                                   size_t count) {
  std::map<std::string, nlohmann::json> answered;
  while (answered.size() < count) {
    auto event = client.receive(std::chrono::seconds(30));
    if (event.is_null())
      break;
    auto type = event.value("type", "");
    if (type == "translation_completed" || type == "translation_error")
      answered.emplace(event.value("taskId", ""), event);
  }
  return answered;
}

std::string front_cluster_table(uint16_t port, const std::string& extra) {
  return "[cluster]\nport = " + std::to_string(port)
         + "\nheartbeat_ms = 200\npeer_timeout_ms = 1500\n" + extra;
}

} // namespace parley::test

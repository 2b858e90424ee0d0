// `parley cluster status`: what `GET /cluster` of a front says, as a table.

#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "cluster/cluster_system.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"

namespace parley {

namespace {

using nlohmann::json;

std::string joined(const json& list, const char* separator = ",") {
  std::string out;
  for (const auto& item : list)
    out += (out.empty() ? "" : separator) + item.get<std::string>();
  return out.empty() ? "-" : out;
}

void print_table(const json& cluster) {
  std::cout << "front " << cluster["front"].get<std::string>() << ": "
            << cluster["nodes_joined"] << " joins, " << cluster["nodes_lost"]
            << " nodes lost, " << cluster["joins_refused"]
            << " joins refused\n\n";
  std::cout << std::left << std::setw(24) << "NODE" << std::setw(8) << "STATE"
            << std::setw(12) << "SINCE"
            << "MODELS\n";
  for (const auto& node : cluster["nodes"]) {
    std::ostringstream since;
    if (node["state"] != "front")
      since << std::fixed << std::setprecision(1)
            << node["since_ms"].get<double>() / 1000 << " s";
    std::cout << std::setw(24) << node["name"].get<std::string>()
              << std::setw(8) << node["state"].get<std::string>()
              << std::setw(12) << since.str() << joined(node["models"]) << '\n';
  }
  std::cout << '\n'
            << std::setw(16) << "MODEL" << std::setw(15) << "TASK"
            << std::setw(8) << "QUEUED" << std::setw(11) << "IN FLIGHT"
            << std::setw(7) << "READY"
            << "REPLICAS PER NODE\n";
  for (const auto& model : cluster["models"]) {
    std::string per_node;
    for (const auto& [node, count] : model["replicas_per_node"].items())
      per_node += (per_node.empty() ? "" : " ") + node + ":"
                  + std::to_string(count.get<int>());
    std::string state = model["draining"].get<bool>()      ? "drain"
                        : model["unavailable"].get<bool>() ? "fail"
                        : model["ready"].get<bool>()       ? "yes"
                                                           : "no";
    std::cout << std::setw(16) << model["name"].get<std::string>()
              << std::setw(15) << model["task"].get<std::string>()
              << std::setw(8) << model["queued"].get<uint64_t>()
              << std::setw(11) << model["in_flight"].get<uint64_t>()
              << std::setw(7) << state << (per_node.empty() ? "-" : per_node)
              << '\n';
  }
}

/// What `parley cluster status` was asked.
struct status_options {
  std::string http = "127.0.0.1:8000";
  bool json = false;
};

int run_status(const status_options& options) {
  try {
    auto [host, port] = split_address(options.http);
    httplib::Client client{host, port};
    auto res = client.Get("/cluster");
    if (!res || res->status != 200) {
      std::cerr << "parley: no answer from http://" << host << ":" << port
                << "/cluster\n";
      return 1;
    }
    auto cluster = json::parse(res->body);
    if (options.json)
      std::cout << cluster.dump(2) << '\n';
    else
      print_table(cluster);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "parley: " << e.what() << '\n';
    return 2;
  }
}

} // namespace

void add_cluster_command(CLI::App& parley) {
  auto* cluster = parley.add_subcommand(
      "cluster", "a front's nodes (parley cluster status --help)");
  cluster->require_subcommand(1);
  auto options = std::make_shared<status_options>();
  auto* status = cluster->add_subcommand(
      "status", "a front's nodes, and each model's queue, in-flight jobs and "
                "replicas per node (GET /cluster)");
  status->add_option("--http", options->http, "the front's HTTP address")
      ->type_name("HOST:PORT")
      ->capture_default_str();
  status->add_flag("--json", options->json,
                   "print GET /cluster's JSON as it is");
  set_action(*status, [options] { return run_status(*options); });
}

} // namespace parley

#include "tests/support/server_process.hpp"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

#include <httplib.h>

#include "tests/support/zmq_client.hpp"

namespace parley::test {

server_process::server_process(const std::string& config,
                               std::vector<std::string> extra_args) {
  static std::atomic<int> counter{0};
  config_path_ = "/tmp/parley_server_" + std::to_string(getpid()) + "_"
                 + std::to_string(++counter) + ".toml";
  std::ofstream{config_path_} << config;
  pull_port = free_port();
  pub_port = free_port();
  http_port = free_port();
  std::vector<std::string> argv{bin_path("parleyd"),
                                "--config",
                                config_path_,
                                "--pull-port",
                                std::to_string(pull_port),
                                "--pub-port",
                                std::to_string(pub_port),
                                "--http-port",
                                std::to_string(http_port)};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  process_ = std::make_unique<child_process>(argv);
  if (!process_->wait_for_output("parleyd: ready"))
    throw std::runtime_error("parleyd did not become ready:\n"
                             + process_->output());
}

server_process::~server_process() {
  process_.reset();
  std::remove(config_path_.c_str());
}

bool server_process::wait_for_log(const std::string& text) {
  if (!process_->wait_for_output(text, std::chrono::seconds(60), log_taken_))
    return false;
  log_taken_ = process_->output().find(text, log_taken_) + text.size();
  return true;
}

int server_process::stop() {
  return process_->stop(SIGTERM);
}

http_reply http_get(uint16_t port, const std::string& path) {
  httplib::Client client{"127.0.0.1", port};
  auto res = client.Get(path.c_str());
  if (!res)
    return {};
  return {res->status, res->body, res->get_header_value("Content-Type")};
}

http_reply http_post(uint16_t port, const std::string& path,
                     const std::string& body, const std::string& content_type) {
  httplib::Client client{"127.0.0.1", port};
  auto res = client.Post(path.c_str(), body, content_type.c_str());
  if (!res)
    return {};
  return {res->status, res->body, res->get_header_value("Content-Type")};
}

} // namespace parley::test

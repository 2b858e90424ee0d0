#include "tests/support/zmq_client.hpp"

#include <fstream>
#include <mutex>
#include <netinet/in.h>
#include <random>
#include <set>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace parley::test {

namespace {

/// The low end of the kernel's ephemeral port range (32768 by default).
int ephemeral_low() {
  std::ifstream range{"/proc/sys/net/ipv4/ip_local_port_range"};
  int low = 32768;
  range >> low;
  return low;
}

bool bindable(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  auto ok =
      bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return ok;
}

} // namespace

uint16_t free_port() {
  // A port below the ephemeral range: the kernel hands ports of that range to
  // every outgoing connection (and to a bind on port 0), so one picked there
  // could be taken by another test's connection before the server binds it.
  // A port handed out is never handed out again in this process: a test
  // may hold one unbound (a cluster port it names in a config) while a
  // server it starts picks its own.
  static std::mutex mutex;
  static std::mt19937 pick{std::random_device{}()};
  static std::set<uint16_t> handed_out;
  std::lock_guard<std::mutex> guard{mutex};
  std::uniform_int_distribution<int> ports{10000, ephemeral_low() - 1};
  for (int attempt = 0; attempt < 1000; ++attempt) {
    auto port = static_cast<uint16_t>(ports(pick));
    if (handed_out.count(port) == 0 && bindable(port)) {
      handed_out.insert(port);
      return port;
    }
  }
  throw std::runtime_error("no free port");
}

zmq_client::zmq_client(uint16_t pull_port, uint16_t pub_port)
    : context_(1), push_(context_, zmq::socket_type::push),
      sub_(context_, zmq::socket_type::sub) {
  push_.set(zmq::sockopt::linger, 0);
  sub_.set(zmq::sockopt::linger, 0);
  sub_.set(zmq::sockopt::subscribe, "");
  push_.connect("tcp://127.0.0.1:" + std::to_string(pull_port));
  sub_.connect("tcp://127.0.0.1:" + std::to_string(pub_port));
}

void zmq_client::send(const std::string& json_frame,
                      const std::vector<std::string>& binary) {
  push_.send(zmq::buffer(json_frame),
             binary.empty() ? zmq::send_flags::none : zmq::send_flags::sndmore);
  for (size_t i = 0; i < binary.size(); ++i)
    push_.send(zmq::buffer(binary[i]), i + 1 < binary.size()
                                           ? zmq::send_flags::sndmore
                                           : zmq::send_flags::none);
}

void zmq_client::send(const nlohmann::json& request,
                      const std::vector<std::string>& binary) {
  send(request.dump(), binary);
}

nlohmann::json zmq_client::receive(std::chrono::milliseconds timeout) {
  zmq::pollitem_t items[] = {{sub_.handle(), 0, ZMQ_POLLIN, 0}};
  if (zmq::poll(items, 1, timeout) <= 0)
    return nullptr;
  zmq::message_t frame;
  (void)sub_.recv(frame);
  last_frames = {frame.to_string()};
  while (sub_.get(zmq::sockopt::rcvmore)) {
    (void)sub_.recv(frame);
    last_frames.push_back(frame.to_string());
  }
  return nlohmann::json::parse(last_frames.front());
}

nlohmann::json zmq_client::receive_until(
    const std::function<bool(const nlohmann::json&)>& match,
    std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return nullptr;
    auto event = receive(left);
    if (event.is_null())
      return nullptr;
    if (match(event))
      return event;
    skipped.push_back(std::move(event));
  }
}

bool zmq_client::wait_until_subscribed() {
  for (int attempt = 0; attempt < 200; ++attempt) {
    send(nlohmann::json{{"type", "ping"}, {"timestamp", attempt}});
    auto event = receive(std::chrono::milliseconds(50));
    if (!event.is_null() && event["type"] == "pong") {
      // Late pongs of earlier attempts may follow; drop them.
      while (!receive(std::chrono::milliseconds(50)).is_null()) {
      }
      return true;
    }
  }
  return false;
}

} // namespace parley::test

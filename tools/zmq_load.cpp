#include "tools/zmq_load.hpp"

#include <atomic>
#include <cstdio>
#include <string_view>
#include <unistd.h>
#include <vector>

#include <nlohmann/json.hpp>

namespace parley {

const std::vector<std::string> bench_languages = {"es", "fr", "ca", "pt"};

namespace {

using clock_type = std::chrono::steady_clock;
using nlohmann::json;

/// The string value of the first member named `key` in a JSON text, found by
/// scanning rather than parsing: the load generator must not be the
/// bottleneck. Works on any server's formatting (spaces after ':' or not);
/// values with escapes are not needed here.
std::string_view string_member(std::string_view doc, std::string_view key) {
  std::string quoted;
  quoted.reserve(key.size() + 2);
  quoted += '"';
  quoted += key;
  quoted += '"';
  for (auto at = doc.find(quoted); at != std::string_view::npos;
       at = doc.find(quoted, at + 1)) {
    auto i = at + quoted.size();
    while (i < doc.size() && (doc[i] == ' ' || doc[i] == '\t'))
      ++i;
    if (i >= doc.size() || doc[i] != ':')
      continue;
    ++i;
    while (i < doc.size() && (doc[i] == ' ' || doc[i] == '\t'))
      ++i;
    if (i >= doc.size() || doc[i] != '"')
      return {};
    auto end = doc.find('"', i + 1);
    if (end == std::string_view::npos)
      return {};
    return doc.substr(i + 1, end - i - 1);
  }
  return {};
}

} // namespace

zmq_load::zmq_load(const zmq_load_options& options)
    : options_(options), context_(1), push_(context_, zmq::socket_type::push),
      sub_(context_, zmq::socket_type::sub) {
  for (auto* socket : {&push_, &sub_})
    socket->set(zmq::sockopt::linger, 0);
  sub_.set(zmq::sockopt::subscribe, "");
  sub_.set(zmq::sockopt::rcvhwm, 0);
  push_.set(zmq::sockopt::sndhwm, 0);
  targets_json_ = json(std::vector<std::string>(bench_languages.begin(),
                                                bench_languages.begin()
                                                    + options.languages))
                      .dump();
  static std::atomic<unsigned> generators{0};
  id_prefix_ = "bench-" + std::to_string(getpid()) + "-"
               + std::to_string(generators++) + "-";
  auto prefix = "tcp://" + options.host + ":";
  push_.connect(prefix + std::to_string(options.pull_port));
  sub_.connect(prefix + std::to_string(options.pub_port));
}

bool zmq_load::connect() {
  for (int attempt = 0; attempt < 200; ++attempt) {
    push_.send(zmq::buffer(json{{"type", "ping"}}.dump()));
    zmq::pollitem_t items[] = {{sub_.handle(), 0, ZMQ_POLLIN, 0}};
    if (zmq::poll(items, 1, std::chrono::milliseconds(50)) > 0) {
      drain(std::chrono::milliseconds(100));
      return true;
    }
  }
  return false;
}

round_result zmq_load::run(size_t count,
                           const std::function<std::string(size_t)>& text_of) {
  round_result result;
  result.latencies_us.reserve(count);
  size_t sent = 0;
  size_t done = 0;
  auto begin = clock_type::now();
  while (done < count) {
    while (sent < count && units_.size() < options_.concurrency)
      send_unit(sent++, text_of);
    zmq::pollitem_t items[] = {{sub_.handle(), 0, ZMQ_POLLIN, 0}};
    if (zmq::poll(items, 1, std::chrono::seconds(30)) <= 0) {
      std::fprintf(stderr, "parley bench: no answer for 30 s, %zu units open\n",
                   units_.size());
      break;
    }
    done += receive_available(result);
  }
  result.seconds =
      std::chrono::duration<double>(clock_type::now() - begin).count();
  units_.clear();
  unit_of_.clear();
  return result;
}

void zmq_load::send_unit(size_t unit,
                         const std::function<std::string(size_t)>& text_of) {
  auto number = next_task_;
  units_[number] = {clock_type::now(), options_.group * options_.languages};
  for (size_t k = 0; k < options_.group; ++k) {
    auto id = id_prefix_ + std::to_string(next_task_++);
    unit_of_[id] = number;
    // Built by hand: the generator must cost little next to the server.
    std::string request =
        R"({"type":"translation","taskId":")" + id + R"(","messageId":")" + id
        + R"(","text":")" + text_of(unit * options_.group + k)
        + R"(","sourceLanguage":"en","targetLanguages":)" + targets_json_
        + R"(,"conversationId":"bench","modelType":"basic"})";
    push_.send(zmq::buffer(request));
  }
}

size_t zmq_load::receive_available(round_result& result) {
  size_t completed = 0;
  zmq::message_t frame;
  while (sub_.recv(frame, zmq::recv_flags::dontwait)) {
    while (sub_.get(zmq::sockopt::rcvmore)) {
      zmq::message_t rest;
      (void)sub_.recv(rest);
    }
    std::string_view doc{frame.data<char>(), frame.size()};
    auto task = unit_of_.find(std::string{string_member(doc, "taskId")});
    if (task == unit_of_.end())
      continue;
    auto type = string_member(doc, "type");
    if (type == "translation_error" || type == "translation_skipped")
      ++result.failures;
    else if (type != "translation_completed")
      continue;
    auto unit = units_.find(task->second);
    // A skipped task answers all of its languages at once.
    auto answered = type == "translation_skipped" ? options_.languages : 1;
    unit->second.open -= std::min(unit->second.open, answered);
    if (unit->second.open > 0)
      continue;
    result.latencies_us.push_back(std::chrono::duration<double, std::micro>(
                                      clock_type::now() - unit->second.sent)
                                      .count());
    units_.erase(unit);
    ++completed;
  }
  return completed;
}

void zmq_load::drain(std::chrono::milliseconds quiet) {
  zmq::message_t frame;
  zmq::pollitem_t items[] = {{sub_.handle(), 0, ZMQ_POLLIN, 0}};
  while (zmq::poll(items, 1, quiet) > 0)
    while (sub_.recv(frame, zmq::recv_flags::dontwait)) {
    }
}

} // namespace parley

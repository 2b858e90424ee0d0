// libFuzzer target for the gateway request codec: decode_request must turn
// any message (any number of frames, any bytes) into a request or a reply
// without throwing, crashing, or writing a reply that is not JSON.
//
// Input format: the frames of one ZMQ message joined by the separator
// "\0FRAME\0" (NUL bytes never occur in JSON text, so frame 0 is never split
// by accident). A seed is thus readable: the JSON, then each binary frame
// after a separator. See fuzz/make_corpus.py.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "io/gateway/gateway_protocol.hpp"

namespace {

constexpr std::string_view separator{"\0FRAME\0", 7};

std::vector<std::string> split_frames(std::string_view input) {
  std::vector<std::string> frames;
  for (;;) {
    auto at = input.find(separator);
    if (at == std::string_view::npos) {
      frames.emplace_back(input);
      return frames;
    }
    frames.emplace_back(input.substr(0, at));
    input.remove_prefix(at + separator.size());
  }
}

/// The server's defaults, with no audio directory: every audioPath refused.
parley::gateway_config default_config() {
  return parley::gateway_config{};
}

/// Tight limits so that the size checks trip on small inputs, and an audio
/// directory holding one small file so that audioPath can succeed.
parley::gateway_config tight_config() {
  parley::gateway_config config;
  config.max_frames = 3;
  config.max_json_bytes = 2048;
  config.max_audio_bytes = 64;
  config.max_audio_seconds = 1;
  char dir[] = "/tmp/parley-fuzz-audio-XXXXXX";
  if (mkdtemp(dir) != nullptr) {
    config.audio_dir = dir;
    std::ofstream{config.audio_dir + "/a.wav", std::ios::binary}
        << "RIFF\x24\0\0\0WAVEfmt ";
  }
  return config;
}

const parley::gateway_config configs[] = {default_config(), tight_config()};

parley::server_identity identity() {
  parley::server_identity id;
  id.version = "fuzz";
  id.node = "fuzz-node";
  id.pull_port = 5555;
  id.pub_port = 5558;
  id.audio_pipeline_available = true;
  return id;
}

const parley::server_identity server = identity();

/// A reply goes to the gateway as frame 0 of an event: it must be one JSON
/// object with a string `type`.
void check_reply(const std::string& reply) {
  if (reply.empty())
    return;
  auto event = nlohmann::json::parse(reply, nullptr, false);
  if (event.is_discarded() || !event.is_object() || !event.contains("type")
      || !event["type"].is_string()) {
    std::fprintf(stderr, "decode_request replied with a malformed event: %s\n",
                 reply.c_str());
    std::abort();
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto frames =
      split_frames(std::string_view{reinterpret_cast<const char*>(data), size});
  for (const auto& config : configs) {
    auto decoded = parley::decode_request(frames, config, server, 1.7e9);
    check_reply(decoded.reply);
  }
  return 0;
}

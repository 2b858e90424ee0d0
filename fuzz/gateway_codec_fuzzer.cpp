// libFuzzer target for the gateway request codec: decode_request must turn
// any message (any number of frames, any bytes) into a request or a reply
// without throwing, crashing, or writing a reply that is not JSON; and
// where the single pass for plain translations takes a frame, the document
// decode must make the same request of it.
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

#include "io/gateway/document_decode.hpp"
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

/// The single pass and the document decode read a translation alike; a
/// generated task id differs per decode, so only its presence is compared.
void check_same_request(const parley::decoded_request& fast,
                        const std::vector<std::string>& frames,
                        const parley::gateway_config& config) {
  if (!fast.translate)
    return;
  std::vector<std::string_view> views(frames.begin(), frames.end());
  auto slow = parley::decode_request_via_document(views, config, server, 1.7e9);
  const auto& a = *fast.translate;
  bool same = slow.translate && slow.type == fast.type;
  if (same) {
    const auto& b = *slow.translate;
    auto generated = a.ids.task_id.rfind("\"parley-", 0) == 0;
    same = a.type == b.type && a.text == b.text
           && a.source_lang == b.source_lang && a.target_langs == b.target_langs
           && a.model_type == b.model_type && a.source_hints == b.source_hints
           && a.conversation.conversation == b.conversation.conversation
           && a.conversation.sender == b.conversation.sender
           && a.ids.message_id == b.ids.message_id
           && a.ids.conversation_id == b.ids.conversation_id
           && a.ids.attachment_id == b.ids.attachment_id
           && a.ids.post_id == b.ids.post_id
           && a.ids.post_media_id == b.ids.post_media_id
           && a.ids.text_object_index == b.ids.text_object_index
           && (generated
               || (a.ids.task_id == b.ids.task_id && a.task_key == b.task_key));
  }
  if (!same) {
    std::fprintf(stderr,
                 "the single pass and the document decode differ on: "
                 "%s\n",
                 frames[0].c_str());
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
    check_same_request(decoded, frames, config);
  }
  return 0;
}

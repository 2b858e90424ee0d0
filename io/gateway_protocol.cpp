#include "io/gateway_protocol.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

extern "C" {
#include <libavutil/base64.h>
}

#include "messages/error_code.hpp"

namespace parley {

namespace {

using nlohmann::json;

/// A request that cannot be served: its code and why.
struct refusal {
  error_code code;
  std::string why;
};

/// The `*_error` event type answering a known request type.
std::string error_type_for(const std::string& type) {
  static const std::map<std::string, std::string> names = {
    {"ping", "error"},
    {"translation", "translation_error"},
    {"story_text_object_translation", "story_text_object_translation_error"},
    {"transcription_only", "transcription_error"},
    {"audio_process", "audio_process_error"},
  };
  auto i = names.find(type);
  return i == names.end() ? "error" : i->second;
}

/// Reads the ids the request carries, each as its JSON text.
gateway_ids read_ids(const json& request) {
  gateway_ids ids;
  auto take = [&](const char* key, std::string& out) {
    auto i = request.find(key);
    if (i != request.end() && !i->is_null() && !i->is_structured())
      out = i->dump();
  };
  take("taskId", ids.task_id);
  take("messageId", ids.message_id);
  take("conversationId", ids.conversation_id);
  take("attachmentId", ids.attachment_id);
  take("postId", ids.post_id);
  take("textObjectIndex", ids.text_object_index);
  return ids;
}

void put_ids(json& event, const gateway_ids& ids) {
  auto put = [&](const char* key, const std::string& text) {
    if (!text.empty())
      event[key] = json::parse(text);
  };
  put("taskId", ids.task_id);
  put("messageId", ids.message_id);
  put("conversationId", ids.conversation_id);
  put("attachmentId", ids.attachment_id);
  put("postId", ids.post_id);
  put("textObjectIndex", ids.text_object_index);
}

std::string error_event(const std::string& event_type, const gateway_ids& ids,
                        const refusal& why, double now) {
  json event{{"type", event_type}};
  put_ids(event, ids);
  if (event_type == "translation_error")
    event["targetLanguage"] = nullptr;
  event["error"] = why.why;
  event["errorCode"] = to_string(why.code);
  event["timestamp"] = now;
  return event.dump();
}

/// "parley-<process tag>-<n>": the random tag keeps ids from repeating
/// across restarts and between nodes that serve one gateway.
std::string generated_task_id() {
  static const std::string prefix = [] {
    std::random_device entropy;
    std::ostringstream tag;
    tag << "parley-" << std::hex << entropy() << entropy() << '-';
    return tag.str();
  }();
  static std::atomic<uint64_t> counter{0};
  return prefix + std::to_string(++counter);
}

/// The key re-sent tasks are recognized by: the task id as text ("7" and 7
/// are one task). A request without one gets a generated id first.
std::string task_key(gateway_ids& ids) {
  if (ids.task_id.empty()) {
    auto generated = generated_task_id();
    ids.task_id = json(generated).dump();
    return generated;
  }
  auto task = json::parse(ids.task_id);
  return task.is_string() ? task.get<std::string>() : ids.task_id;
}

/// Reads a string field; missing or null gives `fallback`.
std::optional<refusal> read_string(const json& request, const char* key,
                                   std::string& out, bool required,
                                   const std::string& fallback = {}) {
  auto i = request.find(key);
  if (i == request.end() || i->is_null()) {
    if (required)
      return refusal{error_code::invalid_request,
                     std::string{"missing required field '"} + key + "'"};
    out = fallback;
    return std::nullopt;
  }
  if (!i->is_string())
    return refusal{error_code::invalid_request,
                   std::string{"field '"} + key + "' must be a string"};
  out = i->get<std::string>();
  return std::nullopt;
}

std::optional<refusal> read_languages(const json& request,
                                      std::vector<std::string>& out) {
  auto i = request.find("targetLanguages");
  if (i == request.end() || i->is_null())
    return refusal{error_code::invalid_request,
                   "missing required field 'targetLanguages'"};
  if (!i->is_array())
    return refusal{error_code::invalid_request,
                   "field 'targetLanguages' must be an array of strings"};
  for (const auto& lang : *i) {
    if (!lang.is_string())
      return refusal{error_code::invalid_request,
                     "field 'targetLanguages' must be an array of strings"};
    out.push_back(lang.get<std::string>());
  }
  return std::nullopt;
}

std::optional<refusal> read_translate(const json& request, const std::string& type,
                                      gateway_ids& ids, gateway_translate& out) {
  out.type = type;
  if (auto bad = read_string(request, "text", out.text, true))
    return bad;
  if (auto bad = read_languages(request, out.target_langs))
    return bad;
  if (auto bad = read_string(request, "sourceLanguage", out.source_lang, false,
                             "auto"))
    return bad;
  if (auto bad = read_string(request, "modelType", out.model_type, false))
    return bad;
  if (auto hint = request.find("userLanguage");
      hint != request.end() && hint->is_string())
    out.source_hints.push_back(hint->get<std::string>());
  if (type == "story_text_object_translation") {
    if (ids.post_id.empty())
      return refusal{error_code::invalid_request,
                     "missing required field 'postId'"};
    auto index = request.find("textObjectIndex");
    if (index == request.end() || !index->is_number_integer())
      return refusal{error_code::invalid_request,
                     "field 'textObjectIndex' must be an integer"};
  }
  out.task_key = task_key(ids);
  out.ids = ids;
  return std::nullopt;
}

std::string read_file(const std::string& path, size_t limit) {
  std::ifstream in{path, std::ios::binary};
  std::string bytes;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
    bytes.append(buffer, static_cast<size_t>(in.gcount()));
    if (bytes.size() > limit)
      break;
  }
  return bytes;
}

std::optional<refusal> too_large(size_t size, const gateway_config& config) {
  if (size <= config.max_audio_bytes)
    return std::nullopt;
  return refusal{error_code::invalid_request,
                 "the audio is larger than "
                   + std::to_string(config.max_audio_bytes) + " bytes"};
}

/// Takes the request's audio from the frame `binaryFrames.audio` names, the
/// sandboxed `audioPath`, or base64 `audioData`, in that order.
std::optional<refusal> read_audio(const json& request,
                                  const std::vector<std::string>& frames,
                                  const gateway_config& config,
                                  std::string& audio) {
  if (request.contains("audioUrl") && !request["audioUrl"].is_null())
    return refusal{error_code::invalid_request,
                   "audioUrl fetching is disabled on this server"};
  auto binary = request.find("binaryFrames");
  if (binary != request.end() && binary->is_object()
      && binary->contains("audio")) {
    const auto& index = (*binary)["audio"];
    if (!index.is_number_integer())
      return refusal{error_code::invalid_request,
                     "binaryFrames.audio must be a frame index"};
    auto at = index.get<int64_t>();
    if (at < 1 || static_cast<size_t>(at) >= frames.size())
      return refusal{error_code::missing_audio,
                     "binaryFrames.audio points to frame " + std::to_string(at)
                       + " but the message has "
                       + std::to_string(frames.size()) + " frames"};
    audio = frames[static_cast<size_t>(at)];
    if (audio.empty())
      return refusal{error_code::missing_audio, "the audio frame is empty"};
    return std::nullopt;
  }
  if (request.contains("audioPath")) {
    if (!request["audioPath"].is_string())
      return refusal{error_code::invalid_request,
                     "field 'audioPath' must be a string"};
    auto resolved = resolve_audio_path(config.audio_dir,
                                       request["audioPath"].get<std::string>());
    if (!resolved)
      return refusal{code_of(resolved.error()),
                     explanation_of(resolved.error())};
    audio = read_file(*resolved, config.max_audio_bytes);
    if (audio.empty())
      return refusal{error_code::missing_audio, "the audio file is empty"};
    return too_large(audio.size(), config);
  }
  if (request.contains("audioData")) {
    if (!request["audioData"].is_string())
      return refusal{error_code::invalid_request,
                     "field 'audioData' must be base64 text"};
    const auto& text = request["audioData"].get_ref<const std::string&>();
    if (text.empty())
      return refusal{error_code::missing_audio, "audioData is empty"};
    if (auto bad = too_large(text.size() / 4 * 3, config))
      return bad;
    if (!request.contains("audioFormat") || !request["audioFormat"].is_string())
      return refusal{error_code::invalid_request,
                     "audioData needs a string field 'audioFormat'"};
    audio.resize(AV_BASE64_DECODE_SIZE(text.size()));
    auto size = av_base64_decode(reinterpret_cast<uint8_t*>(audio.data()),
                                 text.c_str(), static_cast<int>(audio.size()));
    if (size <= 0)
      return refusal{error_code::audio_decode_failed,
                     "audioData is not valid base64"};
    audio.resize(static_cast<size_t>(size));
    return std::nullopt;
  }
  return refusal{error_code::missing_audio,
                 "the request carries no audio (binaryFrames.audio, "
                 "audioPath or audioData)"};
}

/// The phone's transcription: text and language, from a string or an
/// object with `text` and `language`.
void read_mobile(const json& request, gateway_audio& out) {
  auto mobile = request.find("mobileTranscription");
  if (mobile == request.end() || mobile->is_null())
    return;
  if (mobile->is_string()) {
    out.mobile_text = mobile->get<std::string>();
  } else if (mobile->is_object()) {
    out.mobile_text = mobile->value("text", "");
    if (mobile->contains("language") && (*mobile)["language"].is_string())
      out.mobile_language = (*mobile)["language"].get<std::string>();
  }
}

/// Fills a gateway_audio from a validated request.
std::optional<refusal> read_audio_job(const json& request,
                                      const std::vector<std::string>& frames,
                                      const gateway_config& config,
                                      const std::string& type, gateway_ids& ids,
                                      gateway_audio& out) {
  out.type = type;
  read_mobile(request, out);
  if (out.mobile_text.empty())
    if (auto bad = read_audio(request, frames, config, out.audio))
      return bad;
  if (type == "audio_process")
    if (auto bad = read_languages(request, out.target_langs))
      return bad;
  for (auto key : {"language", "sourceLanguage", "userLanguage"}) {
    auto field = request.find(key);
    if (field != request.end() && field->is_string() && out.language.empty())
      out.language = field->get<std::string>();
  }
  if (out.language == "auto")
    out.language.clear();
  if (auto bad = read_string(request, "modelType", out.model_type, false))
    return bad;
  out.voice_clone = request.value("generateVoiceClone", false) == true;
  out.output_format = config.output_audio_format;
  out.task_key = task_key(ids);
  out.ids = ids;
  return std::nullopt;
}

std::string transcription_reply(const json& request, const gateway_ids& ids,
                                double now) {
  auto mobile = request.find("mobileTranscription");
  json transcription{{"text", ""},       {"language", nullptr},
                     {"confidence", nullptr}, {"durationMs", nullptr},
                     {"source", "mobile"},    {"model", "mobile"},
                     {"segments", json::array()}};
  if (mobile->is_string()) {
    transcription["text"] = *mobile;
  } else if (mobile->is_object()) {
    for (auto& [key, value] : mobile->items())
      transcription[key] = value;
  }
  json event{{"type", "transcription_completed"}};
  put_ids(event, ids);
  event["transcription"] = std::move(transcription);
  event["processingTimeMs"] = 0;
  event["timestamp"] = now;
  return event.dump();
}

std::string pong(const server_identity& identity, double now) {
  return json{{"type", "pong"},
              {"timestamp", now},
              {"translator_status", "alive"},
              {"translator_port_pub", identity.pub_port},
              {"translator_port_pull", identity.pull_port},
              {"audio_pipeline_available", identity.audio_pipeline_available}}
    .dump();
}

/// Limits every frame must meet; returns the first one broken.
std::optional<refusal> check_frames(const std::vector<std::string>& frames,
                                    const gateway_config& config) {
  if (frames.size() > config.max_frames)
    return refusal{error_code::invalid_request,
                   "the message has " + std::to_string(frames.size())
                     + " frames; the limit is "
                     + std::to_string(config.max_frames)};
  for (size_t i = 1; i < frames.size(); ++i)
    if (frames[i].size() > config.max_audio_bytes)
      return refusal{error_code::invalid_request,
                     "frame " + std::to_string(i) + " has "
                       + std::to_string(frames[i].size())
                       + " bytes; the limit is "
                       + std::to_string(config.max_audio_bytes)};
  return std::nullopt;
}

} // namespace

decoded_request decode_request(const std::vector<std::string>& frames,
                               const gateway_config& config,
                               const server_identity& identity, double now) {
  decoded_request result;
  auto refuse = [&](const std::string& type, const gateway_ids& ids,
                    const refusal& why) {
    result.reply = error_event(error_type_for(type), ids, why, now);
    return result;
  };
  if (frames.empty())
    return refuse("", {}, {error_code::invalid_request, "empty message"});
  if (frames[0].size() > config.max_json_bytes)
    return refuse("", {},
                  {error_code::invalid_request,
                   "frame 0 has " + std::to_string(frames[0].size())
                     + " bytes; the limit is "
                     + std::to_string(config.max_json_bytes)});
  auto request = json::parse(frames[0], nullptr, /*allow_exceptions=*/false);
  if (request.is_discarded())
    return refuse("", {},
                  {error_code::invalid_request, "frame 0 is not valid JSON"});
  if (!request.is_object())
    return refuse("", {},
                  {error_code::invalid_request, "frame 0 is not a JSON object"});
  auto ids = read_ids(request);
  auto type_field = request.find("type");
  if (type_field == request.end() || !type_field->is_string())
    return refuse("", ids,
                  {error_code::invalid_request,
                   "missing required string field 'type'"});
  auto type = type_field->get<std::string>();
  if (auto bad = check_frames(frames, config))
    return refuse(type, ids, *bad);
  if (type == "ping") {
    result.reply = pong(identity, now);
    return result;
  }
  if (type == "translation" || type == "story_text_object_translation") {
    gateway_translate translate;
    translate.received_at = now;
    if (auto bad = read_translate(request, type, ids, translate))
      return refuse(type, ids, *bad);
    result.translate = std::move(translate);
    return result;
  }
  if (type == "transcription_only" && request.contains("mobileTranscription")
      && !request["mobileTranscription"].is_null()) {
    // The phone already transcribed it: used as-is, no model runs.
    result.reply = transcription_reply(request, ids, now);
    return result;
  }
  if (type == "transcription_only" || type == "audio_process") {
    gateway_audio audio;
    audio.received_at = now;
    if (auto bad = read_audio_job(request, frames, config, type, ids, audio))
      return refuse(type, ids, *bad);
    result.audio = std::move(audio);
    return result;
  }
  return refuse("", ids,
                {error_code::invalid_request, "unknown type '" + type + "'"});
}

double unix_seconds() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

caf::expected<std::string> resolve_audio_path(const std::string& dir,
                                              const std::string& path) {
  namespace fs = std::filesystem;
  if (dir.empty())
    return make_error(error_code::invalid_request,
                      "audioPath is disabled on this server");
  std::error_code err;
  auto root = fs::canonical(dir, err);
  if (err)
    return make_error(error_code::internal_error,
                      "the configured audio directory does not exist");
  auto candidate = fs::path{path}.is_absolute() ? fs::path{path}
                                                 : root / fs::path{path};
  // Resolve `..` and symlinks first, so that whether a file outside the
  // directory exists is never revealed.
  auto resolved = fs::weakly_canonical(candidate, err);
  auto relative = resolved.lexically_relative(root);
  if (err || relative.empty() || *relative.begin() == "..")
    return make_error(error_code::invalid_request,
                      "audioPath is outside the audio directory");
  if (!fs::is_regular_file(resolved, err))
    return make_error(error_code::missing_audio, "audio file not found");
  return resolved.string();
}

} // namespace parley

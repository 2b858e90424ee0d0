// The request side of the gateway protocol: frames in, typed requests or
// ready-made replies out. Each request is checked against its schema
// (io/gateway/gateway_schema) before any field is read, so reads below never
// meet a value of the wrong type.

#include "io/gateway/gateway_protocol.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <limits>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "io/encoding/json_depth.hpp"
#include "io/gateway/document_decode.hpp"
#include "io/gateway/gateway_event_writer.hpp"
#include "io/gateway/gateway_schema.hpp"
#include "io/gateway/translation_reader.hpp"
#include "messages/error_code.hpp"

namespace parley {

namespace {

using nlohmann::json;

/// A request that cannot be served: thrown while decoding, answered with
/// the error event its client waits for.
struct refusal {
  error_code code;
  std::string why;
};

[[noreturn]] void refuse(error_code code, std::string why) {
  throw refusal{code, std::move(why)};
}

/// The JSON text of `key` when it holds a scalar; empty otherwise.
std::string id_text(const json& request, const char* key) {
  auto i = request.find(key);
  if (i == request.end() || i->is_null() || i->is_structured())
    return {};
  return i->dump();
}

gateway_ids read_ids(const json& request) {
  gateway_ids ids;
  ids.task_id = id_text(request, "taskId");
  ids.message_id = id_text(request, "messageId");
  ids.conversation_id = id_text(request, "conversationId");
  ids.attachment_id = id_text(request, "attachmentId");
  ids.post_id = id_text(request, "postId");
  ids.post_media_id = id_text(request, "postMediaId");
  ids.text_object_index = id_text(request, "textObjectIndex");
  return ids;
}

/// Plain text of an id: a string without its quotes, a number as written.
std::string plain(const std::string& id_json) {
  if (id_json.size() >= 2 && id_json.front() == '"')
    return json::parse(id_json).get<std::string>();
  return id_json;
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

/// Gives the request a task id when it has none: the gateway sends none
/// with `audio_process`, yet every event about it must carry one.
void ensure_task_id(gateway_ids& ids) {
  if (ids.task_id.empty())
    ids.task_id = json(generated_task_id()).dump();
}

/// The key re-sent tasks are recognized by: the task id as text ("7" and 7
/// are one task). The gateway re-sends an `audio_process` every 30 s
/// without a task id, so one without is known by its message, attachment
/// and post media instead.
std::string task_key(const request_type type, gateway_ids& ids) {
  if (ids.task_id.empty() && type == request_type::audio_process
      && !(ids.message_id.empty() && ids.attachment_id.empty()
           && ids.post_media_id.empty())) {
    ensure_task_id(ids);
    return "audio|" + plain(ids.message_id) + "|" + plain(ids.attachment_id)
           + "|" + plain(ids.post_media_id);
  }
  ensure_task_id(ids);
  return plain(ids.task_id);
}

std::string string_or(const json& request, const char* key,
                      const std::string& fallback = {}) {
  auto i = request.find(key);
  return i == request.end() || i->is_null() ? fallback : i->get<std::string>();
}

std::vector<std::string> strings(const json& request, const char* key) {
  std::vector<std::string> out;
  auto i = request.find(key);
  if (i != request.end() && i->is_array())
    for (const auto& item : *i)
      out.push_back(item.get<std::string>());
  return out;
}

/// A translation request from its fields, whichever decode read them: the
/// source hint, the sender (`senderId`, else `userId`) and the task key are
/// decided here once.
gateway_translate assemble_translate(request_type type, std::string type_name,
                                     translation_fields fields, double now) {
  gateway_translate out;
  out.type = std::move(type_name);
  out.text = std::move(fields.text);
  out.target_langs = std::move(fields.target_langs);
  out.source_lang = std::move(fields.source_lang);
  out.model_type = std::move(fields.model_type);
  // A hint for detecting an `auto` source (io/../models/detection).
  if (!fields.user_language.empty())
    out.source_hints.push_back(std::move(fields.user_language));
  out.conversation.conversation = std::move(fields.conversation_plain);
  out.conversation.sender = fields.sender_plain.empty()
                                ? std::move(fields.user_plain)
                                : std::move(fields.sender_plain);
  out.task_key = fields.ids.task_id.empty() ? task_key(type, fields.ids)
                                            : std::move(fields.task_plain);
  out.ids = std::move(fields.ids);
  out.received_at = now;
  return out;
}

gateway_translate read_translate(const json& request, request_type type,
                                 const std::string& type_name, gateway_ids& ids,
                                 double now) {
  translation_fields fields;
  fields.text = request["text"].get<std::string>();
  fields.target_langs = strings(request, "targetLanguages");
  fields.source_lang = string_or(request, "sourceLanguage", "auto");
  fields.model_type = string_or(request, "modelType");
  fields.user_language = string_or(request, "userLanguage");
  fields.conversation_plain = plain(ids.conversation_id);
  fields.sender_plain = plain(id_text(request, "senderId"));
  fields.user_plain = plain(id_text(request, "userId"));
  fields.task_plain = plain(ids.task_id);
  fields.ids = ids;
  return assemble_translate(type, type_name, std::move(fields), now);
}

void too_large(size_t size, const gateway_config& config) {
  if (size > config.max_audio_bytes)
    refuse(error_code::invalid_request,
           "the audio is larger than " + std::to_string(config.max_audio_bytes)
               + " bytes");
}

/// Takes the request's audio from the frame `binaryFrames.audio` names, or
/// notes the sandboxed `audioPath` or the base64 text for the session to
/// load off the edge, in that order.
void read_audio(const json& request,
                const std::vector<std::string_view>& frames,
                const gateway_config& config, gateway_audio& out) {
  auto url = request.find("audioUrl");
  if (url != request.end() && url->is_string()
      && !url->get_ref<const std::string&>().empty())
    refuse(error_code::invalid_request,
           "audioUrl fetching is disabled on this server; send the audio "
           "as a binary frame");
  auto binary = request.find("binaryFrames");
  if (binary != request.end() && binary->is_object()
      && binary->contains("audio") && !(*binary)["audio"].is_null()) {
    auto at = (*binary)["audio"].get<int64_t>();
    if (at < 1 || static_cast<size_t>(at) >= frames.size())
      refuse(error_code::missing_audio,
             "binaryFrames.audio points to frame " + std::to_string(at)
                 + " but the message has " + std::to_string(frames.size())
                 + " frames");
    auto frame = frames[static_cast<size_t>(at)];
    if (frame.empty())
      refuse(error_code::missing_audio, "the audio frame is empty");
    out.audio.assign(frame.data(), frame.size());
    return;
  }
  if (auto path = string_or(request, "audioPath"); !path.empty()) {
    auto resolved = resolve_audio_path(config.audio_dir, path);
    if (!resolved)
      refuse(code_of(resolved.error()), explanation_of(resolved.error()));
    out.audio_path = *resolved;
    return;
  }
  for (auto key : {"audioData", "audioBase64"}) {
    auto text = string_or(request, key);
    if (text.empty())
      continue;
    too_large(text.size() / 4 * 3, config);
    out.audio_base64 = std::move(text);
    return;
  }
  refuse(error_code::missing_audio,
         "the request carries no audio (binaryFrames.audio, audioPath, "
         "audioData or audioBase64)");
}

/// A time in milliseconds from any JSON number: a client may send anything,
/// and casting an out-of-range double is undefined.
uint32_t milliseconds(const json& value) {
  auto ms = value.get<double>();
  if (!(ms > 0))
    return 0;
  return ms >= 4294967295.0 ? std::numeric_limits<uint32_t>::max()
                            : static_cast<uint32_t>(ms);
}

/// A confidence, clamped to [0, 1].
float unit_interval(const json& value) {
  auto x = value.get<double>();
  return !(x > 0) ? 0.0f : x >= 1 ? 1.0f : static_cast<float>(x);
}

/// The phone's transcription: a string, or an object with text, language,
/// confidence and segments (types checked by the schema).
void read_mobile(const json& request, gateway_audio& out) {
  auto mobile = request.find("mobileTranscription");
  if (mobile == request.end() || mobile->is_null())
    return;
  if (mobile->is_string()) {
    out.mobile_text = mobile->get<std::string>();
    return;
  }
  out.mobile_text = (*mobile)["text"].get<std::string>();
  out.mobile_language = string_or(*mobile, "language");
  if (auto c = mobile->find("confidence"); c != mobile->end() && c->is_number())
    out.mobile_confidence = unit_interval(*c);
  if (auto segments = mobile->find("segments");
      segments != mobile->end() && segments->is_array())
    for (const auto& s : *segments) {
      transcript_segment segment;
      segment.text = s["text"].get<std::string>();
      segment.start_ms = milliseconds(s["startMs"]);
      segment.end_ms = milliseconds(s["endMs"]);
      if (auto c = s.find("confidence"); c != s.end() && c->is_number())
        segment.confidence = unit_interval(*c);
      out.mobile_segments.push_back(std::move(segment));
    }
}

bool flag(const json& request, const char* key) {
  auto i = request.find(key);
  return i != request.end() && i->is_boolean() && i->get<bool>();
}

gateway_audio read_audio_job(const json& request,
                             const std::vector<std::string_view>& frames,
                             const gateway_config& config, request_type type,
                             const std::string& type_name, gateway_ids& ids,
                             double now) {
  gateway_audio out;
  out.type = type_name;
  read_mobile(request, out);
  if (out.mobile_text.empty())
    read_audio(request, frames, config, out);
  if (type != request_type::transcription_only)
    out.target_langs = strings(request, "targetLanguages");
  // The language spoken, when the caller knows it; the user's language is
  // the hint the gateway sends for audio.
  for (auto key : {"language", "sourceLanguage", "userLanguage"}) {
    out.language = string_or(request, key);
    if (!out.language.empty())
      break;
  }
  if (out.language == "auto")
    out.language.clear();
  out.model_type = string_or(request, "modelType");
  out.voice_clone = flag(request, "generateVoiceClone");
  out.user_id = id_text(request, "userId");
  out.output_format = config.output_audio_format;
  out.task_key = task_key(type, ids);
  out.ids = ids;
  out.received_at = now;
  return out;
}

std::string pong(const server_identity& identity, double now) {
  json_writer out;
  out.begin_object()
      .field("type", event::pong)
      .field("timestamp", now)
      .field("translator_status", reply::alive)
      .field("translator_port_pub", static_cast<uint64_t>(identity.pub_port))
      .field("translator_port_pull", static_cast<uint64_t>(identity.pull_port))
      .field("audio_pipeline_available", identity.audio_pipeline_available);
  return out.end_object().take();
}

/// Limits every frame must meet.
void check_frames(const std::vector<std::string_view>& frames,
                  const gateway_config& config) {
  if (frames.size() > config.max_frames)
    refuse(error_code::invalid_request,
           "the message has " + std::to_string(frames.size())
               + " frames; the limit is " + std::to_string(config.max_frames));
  for (size_t i = 1; i < frames.size(); ++i)
    if (frames[i].size() > config.max_audio_bytes)
      refuse(error_code::invalid_request,
             "frame " + std::to_string(i) + " has "
                 + std::to_string(frames[i].size()) + " bytes; the limit is "
                 + std::to_string(config.max_audio_bytes));
}

/// Requests that need what Parley does not have: answered at once.
bool needs_missing_feature(request_type type) {
  switch (type) {
  case request_type::voice_analyze:
  case request_type::voice_compare:
  case request_type::voice_feedback:
  case request_type::voice_history:
  case request_type::voice_profile_analyze:
  case request_type::voice_profile_verify:
  case request_type::voice_profile_compare:
  case request_type::voice_profile_store:
    return true;
  default:
    return false;
  }
}

const char* missing_feature(request_type type) {
  switch (type) {
  case request_type::voice_analyze:
  case request_type::voice_compare:
  case request_type::voice_profile_analyze:
  case request_type::voice_profile_verify:
  case request_type::voice_profile_compare:
  case request_type::voice_profile_store:
    return "speaker analysis and voice profiles are not available on "
           "Parley: it has no voice cloning or speaker model";
  default:
    return "Parley keeps no translation history or feedback store";
  }
}

/// Parses `text` keeping only its top levels, to read the type and ids of a
/// request nested too deep to serve. nlohmann's parser keeps its own stack
/// and never recurses, and discarded values are never built.
json parse_shallow(std::string_view text) {
  auto shallow = [](int depth, json::parse_event_t, json&) {
    return depth <= 2;
  };
  return json::parse(text, shallow, /*allow_exceptions=*/false);
}

/// The whole decoding of one parsed request; throws `refusal`.
decoded_request decode_object(const json& request,
                              const std::vector<std::string_view>& frames,
                              const gateway_config& config,
                              const server_identity& identity, double now,
                              request_type type, const std::string& type_name,
                              gateway_ids& ids) {
  decoded_request result;
  result.type = type;
  check_frames(frames, config);
  if (type == request_type::ping) {
    result.reply = pong(identity, now);
    return result;
  }
  if (type == request_type::unknown)
    refuse(error_code::invalid_request, "unknown type '" + type_name + "'");
  if (auto bad = check_schema(type, request))
    refuse(error_code::invalid_request, bad->why);
  if (needs_missing_feature(type))
    refuse(error_code::feature_unavailable, missing_feature(type));
  switch (type) {
  case request_type::translation:
  case request_type::story_text_object_translation:
    result.translate = read_translate(request, type, type_name, ids, now);
    return result;
  case request_type::transcription_only:
  case request_type::audio_process:
    result.audio =
        read_audio_job(request, frames, config, type, type_name, ids, now);
    return result;
  default:
    break;
  }
  if (type == request_type::voice_other)
    refuse(error_code::invalid_request,
           "unknown voice request type '" + type_name + "'");
  gateway_voice voice;
  voice.type = type;
  voice.type_name = type_name;
  voice.task_id = ids.task_id;
  voice.user_id = id_text(request, "userId");
  voice.job_id = plain(id_text(request, "jobId"));
  voice.period = string_or(request, "period", "all");
  voice.received_at = now;
  if (type == request_type::voice_translate
      || type == request_type::voice_translate_async) {
    auto audio =
        read_audio_job(request, frames, config, type, type_name, ids, now);
    // Voice cloning is not available: the voice is always synthetic.
    audio.voice_clone = false;
    result.audio = std::move(audio);
  }
  result.voice = std::move(voice);
  return result;
}

/// A plain translation in one message of one frame, read in a single pass
/// (io/gateway/translation_reader) into the request `read_translate` would
/// make; nothing when the frame needs the document decode.
std::optional<decoded_request>
decode_plain_translation(const std::vector<std::string_view>& frames,
                         const gateway_config& config, double now) {
  // Past these checks the document decode would refuse the frame.
  if (frames.size() != 1 || config.max_frames < 1
      || frames[0].size() > config.max_json_bytes)
    return std::nullopt;
  auto fields = read_plain_translation(frames[0]);
  if (!fields)
    return std::nullopt;
  std::optional<decoded_request> result{std::in_place};
  result->type = request_type::translation;
  result->translate = assemble_translate(
      request_type::translation, "translation", std::move(*fields), now);
  return result;
}

} // namespace

decoded_request decode_request(const std::vector<std::string_view>& frames,
                               const gateway_config& config,
                               const server_identity& identity, double now) {
  if (auto fast = decode_plain_translation(frames, config, now))
    return std::move(*fast);
  return decode_request_via_document(frames, config, identity, now);
}

decoded_request
decode_request_via_document(const std::vector<std::string_view>& frames,
                            const gateway_config& config,
                            const server_identity& identity, double now) {
  auto type = request_type::unknown;
  std::string type_name;
  gateway_ids ids;
  std::string request_id;
  std::string user_id;
  auto refused = [&](error_code code, const std::string& why) {
    if (type == request_type::audio_process)
      ensure_task_id(ids);
    decoded_request result;
    result.type = type;
    result.reply = encode_refusal(type, type_name, ids, request_id, user_id,
                                  make_error(code, why), now);
    return result;
  };
  try {
    if (frames.empty())
      refuse(error_code::invalid_request, "empty message");
    if (frames[0].size() > config.max_json_bytes)
      refuse(error_code::invalid_request,
             "frame 0 has " + std::to_string(frames[0].size())
                 + " bytes; the limit is "
                 + std::to_string(config.max_json_bytes));
    auto too_deep = !json_depth_within(frames[0], max_json_depth);
    auto request = too_deep ? parse_shallow(frames[0])
                            : json::parse(frames[0], nullptr,
                                          /*allow_exceptions=*/false);
    if (request.is_discarded())
      refuse(error_code::invalid_request, "frame 0 is not valid JSON");
    if (!request.is_object())
      refuse(error_code::invalid_request, "frame 0 is not a JSON object");
    ids = read_ids(request);
    request_id = id_text(request, "request_id");
    user_id = id_text(request, "userId");
    auto type_field = request.find("type");
    if (type_field == request.end() || !type_field->is_string())
      refuse(error_code::invalid_request,
             "missing required string field 'type'");
    type_name = type_field->get<std::string>();
    type = parse_request_type(type_name);
    if (is_voice_profile(type))
      user_id = id_text(request, "user_id");
    if (too_deep)
      refuse(error_code::invalid_request, "frame 0 nests deeper than "
                                              + std::to_string(max_json_depth)
                                              + " levels");
    return decode_object(request, frames, config, identity, now, type,
                         type_name, ids);
  } catch (const refusal& r) {
    return refused(r.code, r.why);
  } catch (const std::exception& e) {
    // The schema should make this unreachable; if not, the request still
    // gets its answer and intake goes on.
    return refused(error_code::internal_error,
                   std::string{"the request could not be read: "} + e.what());
  }
}

decoded_request decode_request(const std::vector<std::string>& frames,
                               const gateway_config& config,
                               const server_identity& identity, double now) {
  std::vector<std::string_view> views(frames.begin(), frames.end());
  return decode_request(views, config, identity, now);
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
  auto candidate =
      fs::path{path}.is_absolute() ? fs::path{path} : root / fs::path{path};
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

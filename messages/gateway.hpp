#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "messages/detection.hpp"
#include "messages/fwd.hpp"
#include "messages/speech.hpp"

namespace parley {

/// The ids of one gateway request, echoed in every event about it. Each id
/// holds its JSON text exactly as the gateway sent it (a string keeps its
/// quotes), or is empty when absent.
struct gateway_ids {
  std::string task_id;
  std::string message_id;
  std::string conversation_id;
  std::string attachment_id;
  std::string post_id;
  std::string post_media_id;
  std::string text_object_index;
};

/// A text job from the gateway: a `translation` or a
/// `story_text_object_translation`, already validated by the bridge.
struct gateway_translate {
  /// The request's `type`.
  std::string type;
  gateway_ids ids;
  /// The task id as plain text (generated when the gateway sent none); the
  /// key for recognising a re-sent task.
  std::string task_key;
  std::string text;
  std::string source_lang;
  std::vector<std::string> target_langs;
  std::string model_type;
  /// Seconds since the epoch when the bridge received it.
  double received_at = 0;
  /// Languages to fall back on when an "auto" source cannot be detected
  /// reliably (`userLanguage`).
  std::vector<std::string> source_hints;
  /// The conversation (`conversationId`) and the writer (`senderId`, or
  /// `userId`) as plain text: the languages recently detected there weigh
  /// on short texts.
  conversation_keys conversation;
};

/// An audio job from the gateway: a `transcription_only`, an
/// `audio_process` or a `voice_translate[_async]`, validated. Its audio is
/// the frame's bytes, or, for the session to load off the edge, a sandboxed
/// path or base64 text.
struct gateway_audio {
  std::string type;
  gateway_ids ids;
  /// What a re-send of the same task shares (see gateway_translate).
  std::string task_key;
  std::string audio;
  /// Resolved path of a file to read (`audioPath`), when `audio` is empty.
  std::string audio_path;
  /// Base64 text to decode (`audioData`, `audioBase64`), when `audio` is
  /// empty.
  std::string audio_base64;
  /// Language spoken, or empty to detect it.
  std::string language;
  std::vector<std::string> target_langs;
  std::string model_type;
  std::string mobile_text;
  std::string mobile_language;
  float mobile_confidence = 1;
  std::vector<transcript_segment> mobile_segments;
  bool voice_clone = false;
  /// The caller, for voice API jobs.
  std::string user_id;
  /// Format of the spoken translations: wav, opus or mp3.
  std::string output_format = "wav";
  double received_at = 0;
};

/// The frames of one ZMQ message, frame 0 first.
struct zmq_frames {
  std::vector<std::string> frames;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, gateway_ids& x) {
  return f(caf::meta::type_name("gateway_ids"), x.task_id, x.message_id,
           x.conversation_id, x.attachment_id, x.post_id, x.post_media_id,
           x.text_object_index);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, gateway_translate& x) {
  return f(caf::meta::type_name("gateway_translate"), x.type, x.ids, x.task_key,
           x.text, x.source_lang, x.target_langs, x.model_type, x.received_at,
           x.source_hints, x.conversation);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, gateway_audio& x) {
  return f(caf::meta::type_name("gateway_audio"), x.type, x.ids, x.task_key,
           x.audio, x.audio_path, x.audio_base64, x.language, x.target_langs,
           x.model_type, x.mobile_text, x.mobile_language, x.mobile_confidence,
           x.mobile_segments, x.voice_clone, x.user_id, x.output_format,
           x.received_at);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, zmq_frames& x) {
  return f(caf::meta::type_name("zmq_frames"), x.frames);
}

} // namespace parley

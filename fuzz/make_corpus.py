#!/usr/bin/env python3
"""Writes the seed corpus of the gateway codec fuzzer.

Each seed is one ZMQ message: frame 0 (the JSON the gateway sends) and its
binary frames, joined by the separator the fuzzer splits on. The shapes are
those of the gateway's requests (translation, story text objects,
transcription, audio, ping, the voice API, voice profiles), followed by
wrong-typed, truncated and deeply nested variants.

    fuzz/make_corpus.py            rewrite fuzz/corpus/gateway_codec/
"""

import base64
import json
import math
import pathlib
import shutil
import struct

SEPARATOR = b"\0FRAME\0"
OUT = pathlib.Path(__file__).resolve().parent / "corpus" / "gateway_codec"


def wav(samples=400, rate=16000):
    """A short mono 16-bit PCM WAV: a 440 Hz tone."""
    pcm = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
        for i in range(samples))
    header = b"RIFF" + struct.pack("<I", 36 + len(pcm)) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
    header += b"data" + struct.pack("<I", len(pcm))
    return header + pcm


AUDIO = wav()
AUDIO_B64 = base64.b64encode(wav(64)).decode()
EMBEDDING = struct.pack("<16f", *[i / 16 for i in range(16)])
TASK = "0b5e0d1c-3f1e-4c36-9d55-6f1f3c2a9e11"
MESSAGE = "665f1c2e9b3a4d0012345678"
CONVERSATION = "665f1c2e9b3a4d0087654321"
MOBILE = {"text": "hello there", "language": "en", "confidence": 0.91,
          "source": "ios_speech",
          "segments": [{"text": "hello", "startMs": 0, "endMs": 400},
                       {"text": "there", "startMs": 400, "endMs": 900}]}

seeds = {}


def seed(name, request, *frames):
    """request: a dict (dumped as the gateway does) or raw bytes/str."""
    if isinstance(request, dict):
        first = json.dumps(request, ensure_ascii=False).encode()
    elif isinstance(request, str):
        first = request.encode()
    else:
        first = request
    seeds[name] = SEPARATOR.join([first, *frames])


# 1.1 translation
translation = {"type": "translation", "taskId": TASK, "messageId": MESSAGE,
               "text": "Bonjour tout le monde", "sourceLanguage": "fr",
               "targetLanguages": ["en", "es"], "conversationId": CONVERSATION,
               "modelType": "basic", "timestamp": 1764480000123}
seed("translation", translation)
seed("translation_auto_post", {**translation, "sourceLanguage": "auto",
                               "messageId": "post:665f1c2e9b3a4d00aa",
                               "conversationId": "story_context:665f",
                               "modelType": "premium",
                               "text": "Ça va? 你好 👋 \"quoted\" \\ \n tab\t"})
seed("translation_many_targets", {**translation, "targetLanguages":
                                  ["en", "es", "de", "it", "pt", "ar", "zh",
                                   "ja", "ko", "ru", "he", "fr"]})
# 1.2 story_text_object_translation
seed("story_text_object", {"type": "story_text_object_translation",
                           "postId": "665f1c2e9b3a4d00bb", "textObjectIndex": 2,
                           "text": "Hello story", "sourceLanguage": "en",
                           "targetLanguages": ["fr", "es"],
                           "timestamp": 1764480000456})
# 1.3 transcription_only
transcription = {"type": "transcription_only", "taskId": TASK,
                 "messageId": MESSAGE, "attachmentId": "665f1c2e9b3a4d00cc",
                 "audioFormat": "wav",
                 "binaryFrames": {"audio": 1, "audioMimeType": "audio/wav",
                                  "audioSize": len(AUDIO)}}
seed("transcription_only", transcription, AUDIO)
seed("transcription_only_mobile", {**transcription,
                                   "mobileTranscription": MOBILE}, AUDIO)
seed("transcription_only_mpeg", {**transcription, "audioFormat": "mpeg",
                                 "attachmentId": None}, b"ID3\x04\0\0\0\0\0\0")
# 1.4 audio_process
audio = {"type": "audio_process", "messageId": MESSAGE,
         "attachmentId": "665f1c2e9b3a4d00dd", "conversationId": CONVERSATION,
         "senderId": "665f1c2e9b3a4d00ee", "audioUrl": "",
         "audioMimeType": "audio/wav",
         "binaryFrames": {"audio": 1, "audioMimeType": "audio/wav",
                          "audioSize": len(AUDIO)},
         "audioDurationMs": 25, "targetLanguages": ["fr", "es"],
         "userLanguage": "en", "generateVoiceClone": False,
         "modelType": "medium", "originalSenderId": "665f1c2e9b3a4d00ee",
         "useOriginalVoice": False}
seed("audio_process", audio, AUDIO)
seed("audio_process_voice_profile", {
    **audio, "generateVoiceClone": True, "useOriginalVoice": True,
    "binaryFrames": {"audio": 1, "audioMimeType": "audio/wav",
                     "audioSize": len(AUDIO), "voiceProfile": 2,
                     "voiceProfileSize": len(EMBEDDING)},
    "existingVoiceProfile": {"profileId": "vp1", "userId": "u1",
                             "qualityScore": 0.8},
    "voiceCloneParams": {"chatterbox": {"exaggeration": 0.5, "cfgWeight": 0.4},
                         "performance": {"parallel": True, "maxWorkers": 2},
                         "quality": {"minSimilarityThreshold": 0.7}}},
     AUDIO, EMBEDDING)
seed("audio_process_post", {**audio, "messageId": "pm1", "attachmentId": "pm1",
                            "conversationId": "post_665f", "postId": "665f",
                            "postMediaId": "pm1", "audioDurationMs": 0,
                            "targetLanguages": []}, AUDIO)
seed("audio_process_mobile", {**audio, "mobileTranscription": MOBILE}, AUDIO)
seed("audio_process_cloning_params", {
    **audio, "cloningParams": {"exaggeration": 0.5, "cfgWeight": 0.5,
                               "temperature": 0.8, "qualityPreset": "fast"}},
     AUDIO)
seed("audio_process_base64", {**{k: v for k, v in audio.items()
                                 if k != "binaryFrames"},
                              "audioBase64": AUDIO_B64})
# 1.5 ping
seed("ping", {"type": "ping", "timestamp": 1764480000789})
# 1.6 voice API
voice = {"taskId": TASK, "userId": "665f1c2e9b3a4d00ff"}
seed("voice_translate", {"type": "voice_translate", **voice,
                         "audioBase64": AUDIO_B64, "targetLanguages": ["fr"],
                         "sourceLanguage": "en", "generateVoiceClone": True,
                         "mobileTranscription": MOBILE})
seed("voice_translate_path", {"type": "voice_translate", **voice,
                              "audioPath": "/uploads/a.wav",
                              "targetLanguages": ["de", "es"]})
seed("voice_translate_async", {"type": "voice_translate_async", **voice,
                               "audioBase64": AUDIO_B64,
                               "targetLanguages": ["es"],
                               "generateVoiceClone": False,
                               "webhookUrl": "https://example.org/hook",
                               "priority": 1,
                               "callbackMetadata": {"k": [1, {"x": None}]}})
seed("voice_job_status", {"type": "voice_job_status", **voice, "jobId": "j1"})
seed("voice_job_cancel", {"type": "voice_job_cancel", **voice, "jobId": "j1"})
seed("voice_analyze", {"type": "voice_analyze", **voice,
                       "audioBase64": AUDIO_B64,
                       "analysisTypes": ["pitch", "timbre", "mfcc"]})
seed("voice_compare", {"type": "voice_compare", **voice,
                       "audioBase64_1": AUDIO_B64, "audioPath_1": None,
                       "audioBase64_2": AUDIO_B64, "audioPath_2": None})
seed("voice_feedback", {"type": "voice_feedback", **voice,
                        "translationId": "t1", "rating": 4,
                        "feedbackType": "quality", "comment": "good",
                        "metadata": {"client": "ios"}})
seed("voice_history", {"type": "voice_history", **voice, "limit": 20,
                       "offset": 0, "startDate": "2026-01-01",
                       "endDate": "2026-12-31"})
seed("voice_stats", {"type": "voice_stats", **voice, "period": "week"})
seed("voice_admin_metrics", {"type": "voice_admin_metrics", **voice})
seed("voice_health", {"type": "voice_health", "taskId": TASK})
seed("voice_languages", {"type": "voice_languages", "taskId": TASK})
seed("voice_profile_get", {"type": "voice_profile_get", **voice,
                           "profileId": "vp1"})
seed("voice_unknown", {"type": "voice_reticulate", **voice})
# 1.7 voice profiles, snake_case
fingerprint = {"pitch_mean": 180.5, "mfcc": [1.0, -2.5, 3.25],
               "signature": "abc"}
seed("voice_profile_analyze", {"type": "voice_profile_analyze",
                               "request_id": TASK, "user_id": "u1",
                               "audio_data": AUDIO_B64, "audio_format": "wav",
                               "is_update": False,
                               "include_transcription": True,
                               "generate_previews": True,
                               "preview_languages": ["fr", "es"],
                               "preview_text": "Hello"})
seed("voice_profile_verify", {"type": "voice_profile_verify",
                              "request_id": TASK, "user_id": "u1",
                              "audio_data": AUDIO_B64, "audio_format": "webm",
                              "existing_fingerprint": fingerprint})
seed("voice_profile_compare", {"type": "voice_profile_compare",
                               "request_id": TASK,
                               "fingerprint_a": fingerprint,
                               "fingerprint_b": {**fingerprint,
                                                 "pitch_mean": 99}})

# Malformed and hostile variants.
seed("bad_targets_string", {**translation, "targetLanguages": "en"})
seed("bad_targets_mixed", {**translation, "targetLanguages": ["en", 3, None]})
seed("bad_text_number", {**translation, "text": 42})
seed("bad_task_id_object", {**translation, "taskId": {"a": 1}})
seed("bad_ids_numbers", {**translation, "taskId": 7, "messageId": 1.5e308,
                         "conversationId": True})
seed("bad_frame_index_string", {**transcription, "binaryFrames":
                                {"audio": "1"}}, AUDIO)
seed("bad_frame_index_range", {**audio, "binaryFrames": {"audio": 5}}, AUDIO)
seed("bad_frame_index_negative", {**audio, "binaryFrames": {"audio": -1}},
     AUDIO)
seed("bad_frame_index_zero", {**audio, "binaryFrames": {"audio": 0}}, AUDIO)
seed("bad_empty_audio_frame", audio, b"")
seed("bad_no_audio_frame", audio)
seed("bad_mobile_text_number", {**audio, "mobileTranscription":
                                {"text": 1, "language": 2}}, AUDIO)
seed("bad_mobile_string", {**transcription, "mobileTranscription": "hi"},
     AUDIO)
seed("bad_segments", {**audio, "mobileTranscription":
                      {**MOBILE, "segments": [{"text": 1}, 2, None]}}, AUDIO)
seed("bad_voice_clone_string", {**audio, "generateVoiceClone": "yes"}, AUDIO)
seed("bad_audio_url", {**audio, "audioUrl": "http://10.0.0.1/a.wav"})
seed("bad_audio_path", {**transcription, "binaryFrames": None,
                        "audioPath": "../../../etc/passwd"})
seed("audio_path_inside", {**transcription, "binaryFrames": None,
                           "audioPath": "a.wav"})
seed("bad_audio_data", {**transcription, "binaryFrames": None,
                        "audioData": "!!!not base64***"})
seed("audio_data_ok", {**transcription, "binaryFrames": None,
                       "audioData": AUDIO_B64})
seed("bad_timestamp_string", {"type": "ping", "timestamp": "now"})
seed("bad_type_number", {"type": 5, "taskId": TASK})
seed("bad_type_missing", {"taskId": TASK, "text": "x"})
seed("bad_type_unknown", {"type": "translate_everything", "taskId": TASK})
seed("bad_request_id_missing", {"type": "voice_profile_compare"})
seed("bad_rating_string", {"type": "voice_feedback", **voice,
                           "rating": "five"})
seed("bad_limit_float", {"type": "voice_history", **voice, "limit": 1e30,
                         "offset": -5})
seed("bad_not_json", "type=translation&text=hi")
seed("bad_truncated_json", json.dumps(translation)[:40])
seed("bad_array", "[1,2,3]")
seed("bad_empty", b"")
seed("bad_nulls", {k: None for k in audio})
seed("bad_huge_number", '{"type":"ping","timestamp":1e400}')
seed("bad_lone_surrogate", '{"type":"translation","text":"\\ud800",'
     '"taskId":"\\udfff","targetLanguages":["en"]}')
seed("bad_invalid_utf8", b'{"type":"translation","text":"\xff\xfe",'
     b'"targetLanguages":["en"]}')
seed("bad_duplicate_keys", '{"type":"ping","type":"translation",'
     '"text":"a","text":7}')
seed("bad_many_frames", {"type": "ping"}, *([b"x"] * 20))
seed("bad_binary_frame_0", b"\x00\x01\x02RIFF", AUDIO)
seed("deep_arrays", "[" * 20000 + "]" * 20000)
seed("deep_objects_mobile", '{"type":"transcription_only","taskId":"t",'
     '"mobileTranscription":' + '{"a":' * 5000 + '1' + '}' * 5000 + '}')
seed("deep_metadata", '{"type":"voice_feedback","taskId":"t","metadata":'
     + '[' * 3000 + ']' * 3000 + '}')
seed("deep_unclosed", '{"type":"translation","text":' + '[' * 30000)

if OUT.exists():
    shutil.rmtree(OUT)
OUT.mkdir(parents=True)
for name, data in seeds.items():
    (OUT / name).write_bytes(data)
print(f"{len(seeds)} seeds in {OUT}")

#!/usr/bin/python3
"""Reads and writes the shared Redis cache exactly as the Python translator
that Parley replaces does, for Parley's compatibility test.

Each function mirrors the old service's code (services/translator/src/
services/redis_service.py and audio_pipeline/transcription_stage.py of
isopen-io/meeshy), reduced to its Redis calls:

  compute_hash          TranslationCacheService._compute_hash
  set_translation       TranslationCacheService.set_translation
  get_translation       TranslationCacheService.get_translation (with its
                        premium rule)
  set_transcription     TranscriptionStage._cache_transcription through
                        AudioCacheService.set_transcription_by_hash
  get_transcription     AudioCacheService.get_transcription_by_hash

Usage: redis_old_service.py PORT COMMAND JSON-ARGUMENTS; prints JSON.
"""

import hashlib
import json
import os
import sys
from datetime import datetime

import redis

KEY_PATTERN = "translation:text:{hash}"
TTL_TRANSLATION = int(os.getenv("TRANSLATION_CACHE_TTL", "2592000"))
PREMIUM_MODELS = ["premium", "1.3B", "nllb-200-1.3B"]
KEY_TRANSCRIPTION_BY_HASH = "audio:transcription:hash:{audio_hash}"
TTL_TRANSCRIPTION = 2592000


def compute_hash(text, source_lang, target_lang, model_type="premium"):
    content = f"{text}|{source_lang}|{target_lang}|{model_type}"
    return hashlib.sha256(content.encode()).hexdigest()[:32]


def set_translation(r, text, source_lang, target_lang, translated_text,
                    model_type="premium"):
    cache_hash = compute_hash(text, source_lang, target_lang, model_type)
    key = KEY_PATTERN.format(hash=cache_hash)
    cache_data = {
        "translated_text": translated_text,
        "source_lang": source_lang,
        "target_lang": target_lang,
        "model_type": model_type,
        "cached_at": datetime.now().isoformat(),
        "text_hash": cache_hash,
    }
    r.setex(key, TTL_TRANSLATION, json.dumps(cache_data))
    return {"key": key}


def get_translation(r, text, source_lang, target_lang, model_type="premium"):
    cache_hash = compute_hash(text, source_lang, target_lang, model_type)
    key = KEY_PATTERN.format(hash=cache_hash)
    data = r.get(key)
    if data:
        return describe(r, key, data)
    if model_type not in PREMIUM_MODELS:
        premium_hash = compute_hash(text, source_lang, target_lang, "premium")
        premium_key = KEY_PATTERN.format(hash=premium_hash)
        premium_data = r.get(premium_key)
        if premium_data:
            return describe(r, premium_key, premium_data)
    return {"found": False}


def describe(r, key, data):
    value = json.loads(data)
    return {
        "found": True,
        "key": key,
        "value": value,
        # Byte for byte what json.dumps writes for the same object.
        "python_format": json.dumps(value) == data,
        "ttl": r.ttl(key),
    }


def set_transcription(r, audio_hex, text, language, confidence, duration_ms,
                      source, segments):
    audio_hash = hashlib.sha256(bytes.fromhex(audio_hex)).hexdigest()[:32]
    cache_data = {
        "text": text,
        "language": language,
        "confidence": confidence,
        "duration_ms": duration_ms,
        "source": source,
        "segments": [
            {"text": s["text"], "startMs": s["startMs"], "endMs": s["endMs"],
             "confidence": s["confidence"], "speakerId": None,
             "voiceSimilarityScore": None, "language": None}
            for s in segments
        ],
        "speaker_count": None,
        "primary_speaker_id": None,
        "sender_voice_identified": None,
        "sender_speaker_id": None,
        "speaker_analysis": None,
    }
    key = KEY_TRANSCRIPTION_BY_HASH.format(audio_hash=audio_hash)
    r.setex(key, TTL_TRANSCRIPTION, json.dumps(cache_data))
    return {"key": key}


def get_transcription(r, audio_hex):
    audio_hash = hashlib.sha256(bytes.fromhex(audio_hex)).hexdigest()[:32]
    key = KEY_TRANSCRIPTION_BY_HASH.format(audio_hash=audio_hash)
    data = r.get(key)
    if not data:
        return {"found": False}
    return describe(r, key, data)


def main():
    port, command, arguments = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    r = redis.Redis(host="127.0.0.1", port=int(port), decode_responses=True)
    functions = {
        "set_translation": set_translation,
        "get_translation": get_translation,
        "set_transcription": set_transcription,
        "get_transcription": get_transcription,
    }
    print(json.dumps(functions[command](r, **arguments)))


if __name__ == "__main__":
    main()

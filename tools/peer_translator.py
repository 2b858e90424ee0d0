#!/usr/bin/python3
"""A small model of the Python translator service Parley replaces, built the
way that service is built, so `parley bench zmq --peer python` can measure
both under the same load generator.

It speaks the gateway protocol's text path only: `translation` requests on a
PULL socket, one `translation_completed` event per target language on a PUB
socket (the same JSON shape Parley publishes), `pong` for `ping`. Every task
is checked against an in-memory cache first; a miss is "translated" by a
trivial deterministic rewrite and fills the cache, so a pre-warmed benchmark
measures only the cached path, as it does for Parley.

What it mirrors from the old service (isopen-io/meeshy,
services/translator/src/services/), per request:
- zmq_server_core.py `start`: one asyncio loop on zmq.asyncio sockets, PULL
  and PUB bound, `await pull.recv_multipart()` in a loop;
  `_handle_translation_request_multipart`: frame 0 decoded and parsed with
  json.loads, routed on `type`.
- zmq_translation_handler.py `_handle_translation_request`: `ping` answered
  with the pong dict; `text`/`targetLanguages` checked; the text length
  checked (`can_translate_message`); a TranslationTask object built with the
  request's fields.
- zmq_pool_manager.py / translation_processor.py: the task is handed to the
  loop (here `asyncio.create_task`, one task per request);
  `_translate_single_language` checks the cache first for each target
  language and builds the result dict of a hit.
- redis_service.py `TranslationCacheService`: the key is
  sha256("text|source|target|model")[:32] under "translation:text:", the
  value a JSON string decoded on every hit; RedisService's memory fallback
  is an OrderedDict with an expiry time and LRU order.
- zmq_translation_handler.py `_publish_translation_result`: the event dict
  is built per language, serialized with json.dumps, encoded to UTF-8 and
  sent on the PUB socket.

Left out, all of it work the old service did per request, so this peer is if
anything faster than the service it models: the ConnectionManager queue and
its batch window, the per-language sub-tasks, a second json.loads of frame 0,
psutil calls and INFO logging per event, and Redis round trips (the memory
fallback stands in for Redis).

    /usr/bin/python3 tools/peer_translator.py [--pull-port N] [--pub-port N]

Port 0 (the default) binds a free port; the ports are printed on standard
error as "peer_translator: ready pull=N pub=N".
"""

import argparse
import asyncio
import collections
import hashlib
import json
import os
import signal
import socket
import sys
import time

import zmq
import zmq.asyncio

VERSION = "peer_translator 1.0"
# The old service's MAX_TRANSLATION_LENGTH (config/message_limits.py).
MAX_TEXT_LENGTH = 10_000
CACHE_TTL_S = 2_592_000  # one month, as TranslationCacheService
CACHE_ENTRIES = 100_000


class TranslationCache:
    """The old TranslationCacheService over RedisService's memory fallback."""

    def __init__(self):
        self.entries = collections.OrderedDict()  # key -> (json, expires_at)

    @staticmethod
    def key(text, source, target, model_type):
        content = f"{text}|{source}|{target}|{model_type}"
        return ("translation:text:"
                + hashlib.sha256(content.encode()).hexdigest()[:32])

    def get(self, text, source, target, model_type):
        key = self.key(text, source, target, model_type)
        entry = self.entries.get(key)
        if entry is None:
            return None
        if entry[1] <= time.time():
            del self.entries[key]
            return None
        self.entries.move_to_end(key)
        return json.loads(entry[0])

    def set(self, text, source, target, model_type, translated):
        key = self.key(text, source, target, model_type)
        value = json.dumps({"translated_text": translated,
                            "source_lang": source, "target_lang": target,
                            "model_type": model_type,
                            "cached_at": time.time()})
        self.entries[key] = (value, time.time() + CACHE_TTL_S)
        self.entries.move_to_end(key)
        while len(self.entries) > CACHE_ENTRIES:
            self.entries.popitem(last=False)


class TranslationTask:
    """The fields the old service's TranslationTask carried."""

    __slots__ = ("task_id", "message_id", "text", "source_language",
                 "target_languages", "conversation_id", "model_type",
                 "created_at")

    def __init__(self, request):
        self.task_id = request.get("taskId")
        self.message_id = request.get("messageId")
        self.text = request.get("text", "")
        self.source_language = request.get("sourceLanguage", "fr")
        self.target_languages = request.get("targetLanguages", [])
        self.conversation_id = request.get("conversationId", "unknown")
        self.model_type = request.get("modelType", "basic")
        self.created_at = time.time()


class PeerServer:
    def __init__(self, pull_port, pub_port):
        self.context = zmq.asyncio.Context()
        self.pull = self.context.socket(zmq.PULL)
        self.pub = self.context.socket(zmq.PUB)
        for sock in (self.pull, self.pub):
            sock.setsockopt(zmq.LINGER, 0)
        # No high-water mark, as for Parley's sockets under the benchmark.
        self.pub.setsockopt(zmq.SNDHWM, 0)
        self.pull.setsockopt(zmq.RCVHWM, 0)
        self.pull_port = self.bind(self.pull, pull_port)
        self.pub_port = self.bind(self.pub, pub_port)
        self.cache = TranslationCache()
        self.node = socket.gethostname()
        self.tasks = set()

    @staticmethod
    def bind(sock, port):
        if port == 0:
            return sock.bind_to_random_port("tcp://127.0.0.1")
        sock.bind(f"tcp://*:{port}")
        return port

    async def serve(self):
        while True:
            frames = await self.pull.recv_multipart()
            try:
                request = json.loads(frames[0].decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                continue  # the old service logged and dropped these
            if not isinstance(request, dict):
                continue
            kind = request.get("type", "translation")
            if kind == "ping":
                await self.send({
                    "type": "pong", "timestamp": time.time(),
                    "translator_status": "alive",
                    "translator_port_pub": self.pub_port,
                    "translator_port_pull": self.pull_port,
                    "audio_pipeline_available": False})
            elif kind == "translation":
                self.accept(request)

    def accept(self, request):
        task = TranslationTask(request)
        text = task.text
        if (not isinstance(text, str) or not text
                or not isinstance(task.target_languages, list)
                or not task.target_languages):
            self.reject(task, "INVALID_REQUEST",
                        "text and targetLanguages are required")
            return
        if len(text) > MAX_TEXT_LENGTH:
            self.reject(task, "MESSAGE_TOO_LONG", "message too long")
            return
        # One asyncio task per request; keep a reference until it is done.
        job = asyncio.create_task(self.process(task))
        self.tasks.add(job)
        job.add_done_callback(self.tasks.discard)

    def reject(self, task, code, text):
        event = {"type": "translation_error", "taskId": task.task_id,
                 "messageId": task.message_id, "error": text,
                 "errorCode": code, "conversationId": task.conversation_id}
        self.pub.send(json.dumps(event).encode("utf-8"))

    async def process(self, task):
        for target in task.target_languages:
            result = self.translate_one(task, target)
            await self.publish(task, result, target)

    def translate_one(self, task, target):
        start = time.time()
        cached = self.cache.get(task.text, task.source_language, target,
                                task.model_type)
        if cached is not None:
            return {
                "messageId": task.message_id,
                "translatedText": cached.get("translated_text", ""),
                "sourceLanguage": cached.get("source_lang",
                                             task.source_language),
                "targetLanguage": target,
                "confidenceScore": 0.99,
                "processingTime": time.time() - start,
                "modelType": cached.get("model_type", task.model_type),
                "workerName": self.node,
                "fromCache": True,
                "segmentsCount": 0,
                "emojisCount": 0,
            }
        # A stand-in engine: deterministic and trivial.
        translated = f"[{target.upper()}] {task.text}"
        self.cache.set(task.text, task.source_language, target,
                       task.model_type, translated)
        return {
            "messageId": task.message_id,
            "translatedText": translated,
            "sourceLanguage": task.source_language,
            "targetLanguage": target,
            "confidenceScore": 0.95,
            "processingTime": time.time() - start,
            "modelType": task.model_type,
            "workerName": self.node,
            "fromCache": False,
            "segmentsCount": 0,
            "emojisCount": 0,
        }

    async def publish(self, task, result, target):
        now = time.time()
        # The same keys, in the same order, as Parley's translation_completed.
        event = {
            "type": "translation_completed",
            "taskId": task.task_id,
            "messageId": task.message_id,
            "conversationId": task.conversation_id,
            "targetLanguage": target,
            "timestamp": now,
            "result": {
                "messageId": result["messageId"],
                "translatedText": result["translatedText"],
                "sourceLanguage": result["sourceLanguage"],
                "targetLanguage": result["targetLanguage"],
                # Parley sends null; the old service sent 0.99 for a hit.
                "confidenceScore": None,
                "processingTime": now - task.created_at,
                "modelType": result["modelType"],
                "translatorModel": "peer",
                "workerName": result["workerName"],
                "poolType": "interactive",
                "translationTime": result["processingTime"],
                "queueTime": now - task.created_at - result["processingTime"],
                "fromCache": result["fromCache"],
                "route": [task.source_language, target],
            },
            "metadata": {
                "translatorVersion": VERSION,
                "processingNode": self.node,
                "protocol": "zmq",
            },
        }
        await self.send(event)

    async def send(self, event):
        await self.pub.send(json.dumps(event).encode("utf-8"))

    def close(self):
        self.pull.close()
        self.pub.close()
        self.context.term()


async def watch_parent(stop):
    """Stops when the process that started this one is gone (a killed
    benchmark must not leave its peer running)."""
    parent = os.getppid()
    while os.getppid() == parent:
        await asyncio.sleep(1)
    stop.set()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pull-port", type=int, default=0)
    parser.add_argument("--pub-port", type=int, default=0)
    args = parser.parse_args()
    server = PeerServer(args.pull_port, args.pub_port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    serving = asyncio.create_task(server.serve())
    watching = asyncio.create_task(watch_parent(stop))
    print(f"peer_translator: ready pull={server.pull_port} "
          f"pub={server.pub_port}", file=sys.stderr, flush=True)
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({serving, stopping},
                       return_when=asyncio.FIRST_COMPLETED)
    for job in (serving, stopping, watching):
        job.cancel()
    if serving.done() and not serving.cancelled() and serving.exception():
        raise serving.exception()
    server.close()


if __name__ == "__main__":
    asyncio.run(main())

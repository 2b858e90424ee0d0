#!/usr/bin/python3
"""The leanest honest Python peer of Parley's cached path, so that
`parley bench zmq --peer python` measures both under the same load
generator: one asyncio loop on pyzmq's asyncio sockets, a cache-first dict
lookup and one `json.dumps` per task, nothing else (events go out on a
plain PUB socket, whose send never waits).

It speaks the gateway protocol's text path only: `translation` requests on a
PULL socket, one `translation_completed` event per target language (a task)
on a PUB socket, with the same keys in the same order as Parley's, and
`pong` for `ping`. Each request is handled inline in the receive loop: frame
0 parsed with json.loads, the text and languages checked, then per target
language a lookup in a plain dict keyed by (text, source, target, model
type) and one json.dumps of the event. A miss is "translated" by a trivial
deterministic rewrite and fills the dict, so a pre-warmed benchmark measures
only the cached path, as it does for Parley.

Everything the Python translator Parley replaces did beyond that (an
asyncio task per request, its sha256 cache keys and JSON-encoded cache
values, its queue and batch window, logging, Redis) is left out: this peer
is a floor for any Python service on this stack, not a model of the old one.

    /usr/bin/python3 tools/peer_translator.py [--pull-port N] [--pub-port N]

Port 0 (the default) binds a free port; the ports are printed on standard
error as "peer_translator: ready pull=N pub=N".
"""

import argparse
import asyncio
import json
import os
import signal
import socket
import sys
import time

import zmq
import zmq.asyncio

VERSION = "peer_translator 2.0"


class PeerServer:
    def __init__(self, pull_port, pub_port):
        self.context = zmq.asyncio.Context()
        self.pull = self.context.socket(zmq.PULL)
        # A plain (not asyncio) PUB socket: without a high-water mark its
        # send never blocks, and it skips the asyncio socket's future per
        # message.
        self.pub_context = zmq.Context()
        self.pub = self.pub_context.socket(zmq.PUB)
        for sock in (self.pull, self.pub):
            sock.setsockopt(zmq.LINGER, 0)
        # No high-water mark, as for Parley's sockets under the benchmark.
        self.pub.setsockopt(zmq.SNDHWM, 0)
        self.pull.setsockopt(zmq.RCVHWM, 0)
        self.pull_port = self.bind(self.pull, pull_port)
        self.pub_port = self.bind(self.pub, pub_port)
        self.cache = {}  # (text, source, target, model type) -> translation
        self.node = socket.gethostname()

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
                request = json.loads(frames[0])
            except (UnicodeDecodeError, json.JSONDecodeError):
                continue
            if not isinstance(request, dict):
                continue
            kind = request.get("type", "translation")
            if kind == "ping":
                self.send({
                    "type": "pong", "timestamp": time.time(),
                    "translator_status": "alive",
                    "translator_port_pub": self.pub_port,
                    "translator_port_pull": self.pull_port,
                    "audio_pipeline_available": False})
            elif kind == "translation":
                self.translate(request)

    def translate(self, request):
        received = time.time()
        task_id = request.get("taskId")
        message_id = request.get("messageId")
        conversation_id = request.get("conversationId", "unknown")
        text = request.get("text")
        targets = request.get("targetLanguages")
        if (not isinstance(text, str) or not text
                or not isinstance(targets, list) or not targets):
            self.send({"type": "translation_error", "taskId": task_id,
                       "messageId": message_id,
                       "error": "text and targetLanguages are required",
                       "errorCode": "INVALID_REQUEST",
                       "conversationId": conversation_id})
            return
        source = request.get("sourceLanguage", "fr")
        model_type = request.get("modelType", "basic")
        for target in targets:
            key = (text, source, target, model_type)
            translated = self.cache.get(key)
            from_cache = translated is not None
            if not from_cache:
                # A stand-in engine: deterministic and trivial.
                translated = f"[{str(target).upper()}] {text}"
                self.cache[key] = translated
            now = time.time()
            # The same keys, in the same order, as Parley's event.
            self.send({
                "type": "translation_completed",
                "taskId": task_id,
                "messageId": message_id,
                "conversationId": conversation_id,
                "targetLanguage": target,
                "timestamp": now,
                "result": {
                    "messageId": message_id,
                    "translatedText": translated,
                    "sourceLanguage": source,
                    "targetLanguage": target,
                    "confidenceScore": None,
                    "processingTime": now - received,
                    "modelType": model_type,
                    "translatorModel": "peer",
                    "workerName": self.node,
                    "poolType": "interactive",
                    "translationTime": now - received,
                    "queueTime": 0.0,
                    "fromCache": from_cache,
                    "route": [source, target],
                },
                "metadata": {
                    "translatorVersion": VERSION,
                    "processingNode": self.node,
                    "protocol": "zmq",
                },
            })

    def send(self, event):
        self.pub.send(json.dumps(event).encode("utf-8"))

    def close(self):
        self.pull.close()
        self.pub.close()
        self.context.term()
        self.pub_context.term()


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

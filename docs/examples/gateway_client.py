#!/usr/bin/env python3
"""A minimal gateway: sends one translation to parleyd over ZMQ and prints
each event until every language is answered. Needs pyzmq (python3-zmq).

    build/bin/parleyd &
    docs/examples/gateway_client.py "The cat is black." es fr de
"""

import json
import sys
import time

import zmq

text, targets = sys.argv[1], sys.argv[2:] or ["es"]
context = zmq.Context()
push = context.socket(zmq.PUSH)
push.connect("tcp://127.0.0.1:5555")
sub = context.socket(zmq.SUB)
sub.connect("tcp://127.0.0.1:5558")
sub.setsockopt(zmq.SUBSCRIBE, b"")

# A SUB socket hears nothing until its subscription has reached the server:
# ping until the first pong.
while True:
    push.send_json({"type": "ping", "timestamp": time.time()})
    if sub.poll(100):
        print(sub.recv_json())
        break

push.send_json({
    "type": "translation", "taskId": "task-1", "messageId": "post:123",
    "text": text, "sourceLanguage": "en", "targetLanguages": targets,
    "conversationId": "conv-1", "modelType": "basic", "timestamp": time.time(),
})
pending = set(targets)
while pending:
    frames = sub.recv_multipart()
    event = json.loads(frames[0])
    if event.get("taskId") != "task-1":
        continue  # a late pong
    print(json.dumps(event, ensure_ascii=False))
    pending.discard(event.get("targetLanguage"))

#!/usr/bin/python3
"""The plain-PyTorch baseline of `parley bench model`: the functions of
../shared/reference/m2m100_reference.py (eager PyTorch, KV cache, Python), on
the same checkpoint and the same kind of inputs as Parley's timing. Prints
one JSON line per batch size.

usage: bench_reference.py REFERENCE_PY CHECKPOINT_DIR BATCH[,BATCH...]
                          SOURCE_TOKENS NEW_TOKENS THREADS
"""
import importlib.util
import json
import statistics
import struct
import sys
import time
import warnings

import numpy as np
import torch

DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def load_safetensors(path):
    """Tensors of a safetensors file, memory-mapped (BF16 is not needed
    here: make-checkpoint writes F32 or F16)."""
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    header_len = struct.unpack("<Q", bytes(raw[:8]))[0]
    header = json.loads(bytes(raw[8:8 + header_len]))
    base = 8 + header_len
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        array = np.frombuffer(raw[base + begin:base + end],
                              dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        # Read-only mapping: the reference never writes to its weights.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            tensors[name] = torch.from_numpy(array.astype(np.float32, copy=False))
    return tensors


def main():
    reference_py, directory, batches, source_tokens, new_tokens, threads = sys.argv[1:7]
    torch.set_num_threads(int(threads))
    spec = importlib.util.spec_from_file_location("m2m100_reference", reference_py)
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    with open(directory + "/config.json") as f:
        config = json.load(f)
    weights = load_safetensors(directory + "/model.safetensors")
    source_tokens, new_tokens = int(source_tokens), int(new_tokens)
    vocab = config["vocab_size"]
    generator = torch.Generator().manual_seed(0)
    for batch in (int(b) for b in batches.split(",")):
        ids = torch.randint(4, max(vocab - 300, 5), (batch, source_tokens),
                            generator=generator)
        ids[:, 0] = vocab - 2
        ids[:, -1] = config["eos_token_id"]
        mask = torch.ones_like(ids)
        with torch.inference_mode():
            def run(steps):
                encode_start = time.perf_counter()
                enc = ref.encode(weights, config, ids, mask)
                run.encode_seconds = time.perf_counter() - encode_start
                out = torch.full((batch, 1), config["decoder_start_token_id"])
                cache, times = None, []
                for step in range(steps):
                    start = time.perf_counter()
                    logits, cache = ref.decode(weights, config, out[:, -1:], enc,
                                               mask, cache, past_len=out.shape[1] - 1)
                    nxt = (torch.full((batch,), vocab - 3) if step == 0
                           else logits[:, -1].argmax(-1))
                    out = torch.cat([out, nxt[:, None]], 1)
                    times.append(time.perf_counter() - start)
                return times
            run(min(new_tokens, 4))  # warm-up
            start = time.perf_counter()
            times = run(new_tokens)
            seconds = time.perf_counter() - start
        print(json.dumps({"batch": batch, "tokens": batch * new_tokens,
                          "seconds": seconds,
                          "encode_seconds": run.encode_seconds,
                          "step_seconds": statistics.median(times)}), flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""PyTorch eager, the baseline of the GPU check: the math of the reference
scripts (m2m100_reference.py for NLLB/M2M100, tools/whisper_reference.py
for Whisper) on a CUDA device, weights in the compute type, under autocast
as an eager user runs half precision. The same decoding as
`parley_gpu_check bench`: NLLB encodes 32-token random sources, Whisper
random 30 s log-mel windows; then NEW_TOKENS greedy steps with no stop,
each step's ids back on the host. One line per batch, `key=value`.

usage: eager_reference.py nllb|whisper REFERENCE_PY CHECKPOINT_DIR DEVICE
                          TYPE BATCH[,BATCH...] NEW_TOKENS
"""
import contextlib
import importlib.util
import json
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from bench_reference import load_safetensors  # noqa: E402

DTYPES = {"float16": torch.float16, "bfloat16": torch.bfloat16,
          "float32": torch.float32}
NLLB_SOURCE_TOKENS = 32


def load_module(path):
    spec = importlib.util.spec_from_file_location("reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def synchronize(device):
    if device.startswith("cuda"):
        torch.cuda.synchronize(device)


def nllb_steps(ref, W, c, batch, new_tokens, generator, device):
    vocab = c["vocab_size"]
    ids = torch.randint(4, max(vocab - 300, 5), (batch, NLLB_SOURCE_TOKENS),
                        generator=generator, device="cpu").to(device)
    ids[:, 0] = vocab - 2
    ids[:, -1] = c["eos_token_id"]
    mask = torch.ones_like(ids)
    enc = ref.encode(W, c, ids, mask)
    out = torch.full((batch, 1), c["decoder_start_token_id"])
    cache, times = None, []
    for step in range(new_tokens):
        start = time.perf_counter()
        logits, cache = ref.decode(W, c, out[:, -1:], enc, mask, cache,
                                   past_len=out.shape[1] - 1)
        nxt = (torch.full((batch,), vocab - 3) if step == 0
               else logits[:, -1].argmax(-1))
        nxt.cpu()  # the ids a search needs, as Parley's steps bring back
        out = torch.cat([out, nxt[:, None]], 1)
        times.append(time.perf_counter() - start)
    return times


def whisper_steps(ref, W, c, batch, new_tokens, generator, device):
    frames = 2 * c["max_source_positions"]
    mel = (torch.rand((batch, c["num_mel_bins"], frames), generator=generator,
                      device="cpu") * 2.5 - 1.0).to(device)
    enc = ref.encode(W, c, mel)
    prompt = torch.full((batch, 4), c["decoder_start_token_id"])
    prompt[:, 1:] = min(c["vocab_size"] - 1, 220)
    logits, cache = ref.decode(W, c, prompt, enc)
    past, times = 4, []
    for _ in range(new_tokens):
        start = time.perf_counter()
        nxt = logits[:, -1].argmax(-1)
        nxt.cpu()
        logits, cache = ref.decode(W, c, nxt[:, None], enc, cache, past_len=past)
        past += 1
        times.append(time.perf_counter() - start)
    return times


def main():
    kind, reference_py, directory, device, type_name, batches, new_tokens = sys.argv[1:8]
    new_tokens = int(new_tokens)
    dtype = DTYPES[type_name]
    ref = load_module(reference_py)
    with open(directory + "/config.json") as f:
        config = json.load(f)
    weights = {name: t.to(device, dtype)
               for name, t in load_safetensors(directory + "/model.safetensors").items()}
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    # The reference scripts make their masks and positions with the default
    # device.
    if device != "cpu":
        torch.set_default_device(device)
    steps = nllb_steps if kind == "nllb" else whisper_steps
    generator = torch.Generator().manual_seed(7)
    for batch in (int(b) for b in batches.split(",")):
        # Half precision as an eager user runs it: weights in the type, and
        # autocast for the products' mixed inputs (float32 masks, positions).
        half = (torch.autocast(device.split(":")[0], dtype=dtype)
                if dtype != torch.float32 else contextlib.nullcontext())
        with torch.inference_mode(), half:
            steps(ref, weights, config, batch, min(new_tokens, 4), generator,
                  device)
            synchronize(device)
            start = time.perf_counter()
            times = steps(ref, weights, config, batch, new_tokens, generator,
                          device)
            synchronize(device)
            seconds = time.perf_counter() - start
        print(f"bench engine=eager kind={kind} device={device} type={type_name} "
              f"batch={batch} new_tokens={new_tokens} seconds={seconds:.6g} "
              f"step_seconds={statistics.median(times):.6g} "
              f"tokens_per_second={batch * new_tokens / seconds:.6g}", flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Plain-PyTorch Whisper, the baseline of `parley bench speech`: the math of
Hugging Face's WhisperForConditionalGeneration written out in functions, in
the manner of ../shared/reference/m2m100_reference.py (eager PyTorch, a KV
cache, Python).

usage: whisper_reference.py check FIXTURE_DIR
           compares every tensor of the fixture's expected.safetensors;
           prints one JSON line, exits 1 when a tolerance is exceeded
       whisper_reference.py bench CHECKPOINT_DIR WAV MEL_FILTERS_NPZ
                                  NEW_TOKENS THREADS ROUNDS
           transcribes the WAV's first 30 s window (padded as Whisper pads
           it): log-mel, encoder, NEW_TOKENS greedy tokens with no stop at
           end-of-text; prints the median seconds over ROUNDS as JSON
"""
import json
import statistics
import sys
import time
import wave

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from bench_reference import load_safetensors  # noqa: E402

SAMPLE_RATE, N_FFT, HOP, WINDOW_SECONDS = 16000, 400, 160, 30


def log_mel(waveform, filters):
    """Whisper's front end: periodic Hann window, centred reflect-padded
    STFT, last frame dropped, power, mel filters, log10 floored at max - 8,
    then (x + 4) / 4."""
    window = torch.hann_window(N_FFT)
    stft = torch.stft(waveform, N_FFT, HOP, window=window, return_complex=True)
    power = stft[..., :-1].abs() ** 2
    mel = filters @ power
    log = torch.clamp(mel, min=1e-10).log10()
    log = torch.maximum(log, log.max() - 8.0)
    return (log + 4.0) / 4.0


def lin(W, p, x):
    return F.linear(x, W[p + ".weight"], W.get(p + ".bias"))


def ln(W, p, x):
    return F.layer_norm(x, (x.shape[-1],), W[p + ".weight"], W[p + ".bias"], 1e-5)


def attention(W, p, h, heads, kv=None, mask=None, past=None):
    """HF WhisperAttention: q scaled before the product; k_proj has no bias."""
    b, t, d = h.shape
    hd = d // heads
    q = lin(W, p + ".q_proj", h) * hd ** -0.5
    shape = lambda x: x.view(b, -1, heads, hd).transpose(1, 2)
    if kv is not None:  # cross attention: keys/values from the encoder, once
        if past is None:
            past = (shape(lin(W, p + ".k_proj", kv)), shape(lin(W, p + ".v_proj", kv)))
        k, v = past
    else:
        k, v = shape(lin(W, p + ".k_proj", h)), shape(lin(W, p + ".v_proj", h))
        if past is not None:
            k, v = torch.cat([past[0], k], 2), torch.cat([past[1], v], 2)
        past = (k, v)
    a = torch.matmul(shape(q), k.transpose(2, 3))
    if mask is not None:
        a = a + mask
    o = torch.matmul(F.softmax(a, dim=-1), v).transpose(1, 2).reshape(b, t, d)
    return lin(W, p + ".out_proj", o), past


def encode(W, c, mel):
    """mel [b, n_mels, frames] -> encoder output [b, frames / 2, d]."""
    x = F.gelu(F.conv1d(mel, W["model.encoder.conv1.weight"],
                        W["model.encoder.conv1.bias"], padding=1))
    x = F.gelu(F.conv1d(x, W["model.encoder.conv2.weight"],
                        W["model.encoder.conv2.bias"], stride=2, padding=1))
    h = x.permute(0, 2, 1)
    h = h + W["model.encoder.embed_positions.weight"][: h.shape[1]]
    for i in range(c["encoder_layers"]):
        p = f"model.encoder.layers.{i}"
        r = h; h, _ = attention(W, p + ".self_attn", ln(W, p + ".self_attn_layer_norm", h), c["encoder_attention_heads"]); h = r + h
        r = h; h = lin(W, p + ".fc2", F.gelu(lin(W, p + ".fc1", ln(W, p + ".final_layer_norm", h)))); h = r + h
    return ln(W, "model.encoder.layer_norm", h)


def decode(W, c, ids, enc, cache=None, past_len=0):
    b, t = ids.shape
    causal = torch.full((t, t), torch.finfo(torch.float).min).triu(1)
    causal = torch.cat([torch.zeros(t, past_len), causal], 1)[None, None]
    h = F.embedding(ids, W["model.decoder.embed_tokens.weight"])
    h = h + W["model.decoder.embed_positions.weight"][past_len:past_len + t]
    cache = cache or [None] * c["decoder_layers"]
    new = []
    for i in range(c["decoder_layers"]):
        p = f"model.decoder.layers.{i}"
        sp, xp = (cache[i] or (None, None))
        heads = c["decoder_attention_heads"]
        r = h; h, sp = attention(W, p + ".self_attn", ln(W, p + ".self_attn_layer_norm", h), heads, mask=causal, past=sp); h = r + h
        r = h; h, xp = attention(W, p + ".encoder_attn", ln(W, p + ".encoder_attn_layer_norm", h), heads, kv=enc, past=xp); h = r + h
        r = h; h = lin(W, p + ".fc2", F.gelu(lin(W, p + ".fc1", ln(W, p + ".final_layer_norm", h)))); h = r + h
        new.append((sp, xp))
    h = ln(W, "model.decoder.layer_norm", h)
    return F.linear(h, W["model.decoder.embed_tokens.weight"]), new


def greedy(W, c, enc, prompt, max_new, eot=None):
    """Greedy tokens after `prompt`, with a KV cache; stops at `eot` unless
    it is None."""
    out = torch.tensor([prompt])
    logits, cache = decode(W, c, out, enc)
    tokens = []
    for _ in range(max_new):
        nxt = int(logits[0, -1].argmax())
        tokens.append(nxt)
        if nxt == eot:
            break
        logits, cache = decode(W, c, torch.tensor([[nxt]]), enc, cache,
                               past_len=len(prompt) + len(tokens) - 1)
    return tokens


def check(fixture):
    W = load_safetensors(fixture + "/model.safetensors")
    c = json.load(open(fixture + "/config.json"))
    recorded = json.load(open(fixture + "/expected.json"))
    expected = load_safetensors(fixture + "/expected.safetensors")
    filters = torch.from_numpy(np.load(fixture + "/mel_filters.npz")[f"mel_{c['num_mel_bins']}"])
    with torch.inference_mode():
        diffs = {"log_mel": float((log_mel(expected["waveform"], filters) - expected["log_mel"]).abs().max())}
        enc = encode(W, c, expected["encoder_in"])
        diffs["encoder_out"] = float((enc - expected["encoder_out"]).abs().max())
        prompt = recorded["prompt_ids"][0]
        ids = prompt + greedy(W, c, enc, prompt, 20, recorded["eot_id"])
        # bench_reference's loader widens every tensor to float32.
        recorded_ids = expected["greedy_ids"].long()
        want = recorded_ids[0].tolist()
        diffs["greedy_ids_differ"] = int(sum(a != b for a, b in zip(ids, want)) + abs(len(ids) - len(want)))
        forced = recorded_ids[:, :-1]
        logits, _ = decode(W, c, forced, enc)
        diffs["teacher_forced_logits"] = float((logits - expected["teacher_forced_logits"]).abs().max())
    print(json.dumps(diffs))
    ok = (diffs["log_mel"] <= 2e-3 and diffs["encoder_out"] <= 1e-4
          and diffs["greedy_ids_differ"] == 0 and diffs["teacher_forced_logits"] <= 1e-4)
    return 0 if ok else 1


def read_wav(path):
    with wave.open(path) as f:
        if f.getframerate() != SAMPLE_RATE or f.getnchannels() != 1 or f.getsampwidth() != 2:
            raise SystemExit(path + ": expected 16 kHz mono 16-bit")
        raw = np.frombuffer(f.readframes(f.getnframes()), dtype=np.int16)
    return torch.from_numpy(raw.astype(np.float32) / 32768.0)


def bench(directory, wav, filters_npz, new_tokens, threads, rounds):
    torch.set_num_threads(threads)
    W = load_safetensors(directory + "/model.safetensors")
    c = json.load(open(directory + "/config.json"))
    filters = torch.from_numpy(np.load(filters_npz)[f"mel_{c['num_mel_bins']}"])
    audio = read_wav(wav)[: SAMPLE_RATE * WINDOW_SECONDS]
    audio = F.pad(audio, (0, SAMPLE_RATE * WINDOW_SECONDS - audio.shape[0]))
    added = json.load(open(directory + "/added_tokens.json"))
    prompt = [added[t] for t in ("<|startoftranscript|>", "<|en|>",
                                 "<|transcribe|>", "<|notimestamps|>")]
    times = []
    with torch.inference_mode():
        for _ in range(rounds + 1):  # the first is a warm-up
            begin = time.perf_counter()
            enc = encode(W, c, log_mel(audio, filters)[None])
            greedy(W, c, enc, prompt, new_tokens)
            times.append(time.perf_counter() - begin)
    print(json.dumps({"seconds": statistics.median(times[1:]),
                      "window_seconds": WINDOW_SECONDS,
                      "new_tokens": new_tokens}))
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["check"]:
        sys.exit(check(sys.argv[2]))
    if sys.argv[1:2] == ["bench"]:
        d, wav, npz, n, threads, rounds = sys.argv[2:8]
        sys.exit(bench(d, wav, npz, int(n), int(threads), int(rounds)))
    sys.exit(__doc__)

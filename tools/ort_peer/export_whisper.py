#!/usr/bin/python3
"""Exports a Whisper checkpoint (Hugging Face layout) to ONNX for the ONNX
Runtime peer of `parley bench speech`, from the math of
../whisper_reference.py.

Three graphs, opset 17, weights as external data:
- mel.onnx: waveform [b, samples] -> log-mel [b, n_mels, samples / 160],
  the reference's front end with its STFT written as a matrix product (a
  DFT basis over reflect-padded frames), which ONNX Runtime runs as a GEMM;
- encoder.onnx: log-mel -> encoder_out and every decoder layer's
  cross-attention keys and values (computed once per window);
- decoder_step.onnx: input_ids [b, t] (the prompt, then one token), their
  positions [t], the additive self-attention mask [1, 1, t, past + t], past
  self keys and values [b, heads, past, head dim] per layer and the cross
  keys and values -> the last position's logits [b, vocab] and the grown
  self keys and values.

Writes check.json too: the reference's own log-mel, greedy decode and
logits at every step on a random waveform, which the peer must reproduce
before it is timed; and meta.json, with the shapes and the prompt.

usage: export_whisper.py CHECKPOINT_DIR OUT_DIR [MEL_FILTERS_NPZ]
       (default filters: CHECKPOINT_DIR/mel_filters.npz if there, else
       ../shared/fixtures/whisper-tiny/mel_filters.npz)
"""
import base64
import json
import os
import sys
import warnings

import numpy as np
import torch
import torch.nn.functional as F

TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, TOOLS)
import whisper_reference as ref  # noqa: E402
from bench_reference import load_safetensors  # noqa: E402


def fixed_width_ln(d_model):
    """The reference's LayerNorm with its width fixed: ONNX wants the
    normalized shape constant, not read from the traced input."""

    def ln(W, p, x):
        return F.layer_norm(x, (d_model,), W[p + ".weight"], W[p + ".bias"], 1e-5)

    return ln


class WithWeights(torch.nn.Module):
    """Holds the checkpoint's tensors as parameters, so that the export
    writes them once, as initializers in external data files."""

    def __init__(self, weights, config):
        super().__init__()
        self.c = config
        self.held = torch.nn.ParameterDict(
            {name.replace(".", "__"): torch.nn.Parameter(t, requires_grad=False)
             for name, t in weights.items()})

    @property
    def w(self):
        return {name.replace("__", "."): t for name, t in self.held.items()}


class LogMel(torch.nn.Module):
    """ref.log_mel with torch.stft spelled out: the periodic Hann window is
    folded into a real DFT basis [2 * bins, n_fft], applied to frames of the
    reflect-padded waveform by a strided conv1d."""

    def __init__(self, filters):
        super().__init__()
        n = torch.arange(ref.N_FFT, dtype=torch.float64)
        k = torch.arange(ref.N_FFT // 2 + 1, dtype=torch.float64)
        angle = 2 * torch.pi * k[:, None] * n[None, :] / ref.N_FFT
        window = torch.hann_window(ref.N_FFT, dtype=torch.float64)
        basis = torch.cat([torch.cos(angle), -torch.sin(angle)]) * window
        self.register_buffer("basis", basis.float()[:, None, :])
        self.register_buffer("filters", filters)
        self.bins = ref.N_FFT // 2 + 1

    def forward(self, waveform):
        padded = F.pad(waveform[:, None], (ref.N_FFT // 2, ref.N_FFT // 2),
                       mode="reflect")
        spectrum = F.conv1d(padded, self.basis, stride=ref.HOP)[..., :-1]
        power = spectrum[:, : self.bins] ** 2 + spectrum[:, self.bins:] ** 2
        log = torch.clamp(self.filters @ power, min=1e-10).log10()
        top = log.amax(dim=(1, 2), keepdim=True)
        return (torch.maximum(log, top - 8.0) + 4.0) / 4.0


class Encoder(WithWeights):
    def forward(self, mel):
        enc = ref.encode(self.w, self.c, mel)
        heads = self.c["decoder_attention_heads"]
        b, s, d = enc.shape
        outputs = [enc]
        for i in range(self.c["decoder_layers"]):
            p = f"model.decoder.layers.{i}.encoder_attn"
            for proj in ("k_proj", "v_proj"):
                x = ref.lin(self.w, f"{p}.{proj}", enc)
                outputs.append(x.view(b, s, heads, d // heads).transpose(1, 2))
        return tuple(outputs)


class DecoderStep(WithWeights):
    """ref.decode() with the positions and the causal mask as inputs, so
    that the graph needs no Python integers, and only the last position's
    logits (the only ones greedy decoding reads)."""

    def forward(self, input_ids, positions, mask, *caches):
        w, c = self.w, self.c
        layers = c["decoder_layers"]
        heads = c["decoder_attention_heads"]
        h = F.embedding(input_ids, w["model.decoder.embed_tokens.weight"])
        h = h + w["model.decoder.embed_positions.weight"][positions]
        grown = []
        for i in range(layers):
            p = f"model.decoder.layers.{i}"
            self_past = (caches[2 * i], caches[2 * i + 1])
            cross = (caches[2 * layers + 2 * i], caches[2 * layers + 2 * i + 1])
            r = h
            h, self_past = ref.attention(w, p + ".self_attn",
                                         ref.ln(w, p + ".self_attn_layer_norm", h),
                                         heads, mask=mask, past=self_past)
            h = r + h
            r = h
            h, _ = ref.attention(w, p + ".encoder_attn",
                                 ref.ln(w, p + ".encoder_attn_layer_norm", h),
                                 heads, kv=h, past=cross)
            h = r + h
            r = h
            h = ref.lin(w, p + ".fc2", F.gelu(ref.lin(w, p + ".fc1",
                        ref.ln(w, p + ".final_layer_norm", h))))
            h = r + h
            grown.extend(self_past)
        h = ref.ln(w, "model.decoder.layer_norm", h[:, -1])
        logits = F.linear(h, w["model.decoder.embed_tokens.weight"])
        return (logits, *grown)


def names(layers, what):
    return [f"{what}_{kind}_{i}" for i in range(layers) for kind in ("k", "v")]


def bench_prompt(checkpoint, config):
    """The prompt `bench speech` decodes after (English, transcribe, no
    timestamps); a checkpoint without added_tokens.json (the test fixture)
    gets the start token and three ordinary ids."""
    path = os.path.join(checkpoint, "added_tokens.json")
    if not os.path.exists(path):
        return [config["decoder_start_token_id"], 1, 2, 3]
    with open(path) as f:
        added = json.load(f)
    return [added[t] for t in ("<|startoftranscript|>", "<|en|>",
                               "<|transcribe|>", "<|notimestamps|>")]


def write_check(weights, config, filters, prompt, out_dir, steps=6):
    """The reference's log-mel, greedy decode and logits after every decode
    call on one random waveform (as many samples as the encoder's
    positions take), for the peer to reproduce."""
    generator = torch.Generator().manual_seed(1)
    samples = 2 * config["max_source_positions"] * ref.HOP
    waveform = (torch.rand(samples, generator=generator) - 0.5) * 0.2
    with torch.inference_mode():
        mel = ref.log_mel(waveform, filters)
        enc = ref.encode(weights, config, mel[None])
        ids = torch.tensor([prompt])
        logits, cache = ref.decode(weights, config, ids, enc)
        tokens, logits_per_step = list(prompt), []
        for _ in range(steps):
            logits_per_step.append(logits[0, -1].tolist())
            tokens.append(int(logits[0, -1].argmax()))
            logits, cache = ref.decode(weights, config,
                                       torch.tensor([[tokens[-1]]]), enc,
                                       cache, past_len=len(tokens) - 1)
    with open(os.path.join(out_dir, "check.json"), "w") as f:
        json.dump({"waveform_float32_base64":
                   base64.b64encode(waveform.numpy().tobytes()).decode(),
                   "log_mel": mel.flatten().tolist(),
                   "prompt": prompt, "tokens": tokens,
                   "logits": logits_per_step}, f)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    # The exporter's notes on constant folding and shape inference of this
    # torch version say nothing about the graphs' results, which check.json
    # holds the peer to.
    warnings.filterwarnings("ignore", category=UserWarning)
    checkpoint, out_dir = sys.argv[1:3]
    with open(os.path.join(checkpoint, "config.json")) as f:
        config = json.load(f)
    filters_npz = sys.argv[3] if len(sys.argv) > 3 else next(
        p for p in (os.path.join(checkpoint, "mel_filters.npz"),
                    os.path.join(TOOLS, "../../shared/fixtures/whisper-tiny/mel_filters.npz"))
        if os.path.exists(p))
    os.makedirs(out_dir, exist_ok=True)
    filters = torch.from_numpy(np.load(filters_npz)[f"mel_{config['num_mel_bins']}"])
    ref.ln = fixed_width_ln(config["d_model"])
    weights = load_safetensors(os.path.join(checkpoint, "model.safetensors"))
    layers = config["decoder_layers"]
    heads = config["decoder_attention_heads"]
    head_dim = config["d_model"] // heads
    frames = 2 * config["max_source_positions"]
    batch = 1
    prompt = bench_prompt(checkpoint, config)

    waveform = torch.zeros(batch, frames * ref.HOP)
    torch.onnx.export(LogMel(filters), (waveform,),
                      os.path.join(out_dir, "mel.onnx"),
                      input_names=["waveform"], output_names=["log_mel"],
                      dynamic_axes={"waveform": {0: "batch", 1: "samples"},
                                    "log_mel": {0: "batch", 2: "frames"}},
                      opset_version=17)

    mel = torch.zeros(batch, config["num_mel_bins"], frames)
    encoder = Encoder(weights, config)
    with torch.inference_mode():
        cross = encoder(mel)[1:]
    encoder_dynamic = {"log_mel": {0: "batch"}, "encoder_out": {0: "batch"}}
    for name in names(layers, "cross"):
        encoder_dynamic[name] = {0: "batch"}
    torch.onnx.export(encoder, (mel,), os.path.join(out_dir, "encoder.onnx"),
                      input_names=["log_mel"],
                      output_names=["encoder_out"] + names(layers, "cross"),
                      dynamic_axes=encoder_dynamic, opset_version=17)

    t, past_len = 2, 3
    past = [torch.zeros(batch, heads, past_len, head_dim) for _ in range(2 * layers)]
    step_inputs = (torch.full((batch, t), 7), torch.arange(past_len, past_len + t),
                   torch.zeros(1, 1, t, past_len + t), *past, *cross)
    step_dynamic = {"input_ids": {0: "batch", 1: "new"}, "positions": {0: "new"},
                    "mask": {2: "new", 3: "present"}, "logits": {0: "batch"}}
    for name in names(layers, "past"):
        step_dynamic[name] = {0: "batch", 2: "past"}
    for name in names(layers, "present"):
        step_dynamic[name] = {0: "batch", 2: "present"}
    for name in names(layers, "cross"):
        step_dynamic[name] = {0: "batch"}
    torch.onnx.export(DecoderStep(weights, config), step_inputs,
                      os.path.join(out_dir, "decoder_step.onnx"),
                      input_names=["input_ids", "positions", "mask"]
                      + names(layers, "past") + names(layers, "cross"),
                      output_names=["logits"] + names(layers, "present"),
                      dynamic_axes=step_dynamic, opset_version=17)

    write_check(weights, config, filters, prompt, out_dir)
    meta = {"layers": layers, "heads": heads, "head_dim": head_dim,
            "vocab": config["vocab_size"], "n_mels": config["num_mel_bins"],
            "frames": frames, "prompt": prompt}
    with open(os.path.join(out_dir, "meta.json"), "w") as f:
        json.dump(meta, f)
    print(out_dir, json.dumps(meta))


if __name__ == "__main__":
    main()

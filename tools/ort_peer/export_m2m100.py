#!/usr/bin/python3
"""Exports an NLLB/M2M100 checkpoint to ONNX for the ONNX Runtime peer of
`parley bench model`, from the math of ../shared/reference/m2m100_reference.py.

Two graphs, opset 17, weights as external data:
- encoder.onnx: input_ids, attention_mask -> encoder_out and every decoder
  layer's cross-attention keys and values (computed once per source);
- decoder_step.onnx: one token per row with the self-attention KV cache:
  input_ids [b, 1], positions [b, 1], attention_mask [b, s], past self keys
  and values [b, heads, past, head dim] per layer, the cross keys and values
  -> logits [b, vocab] and the grown self keys and values.

Writes check.json too: a short greedy decode by the reference itself, whose
logits the peer must reproduce before it is timed.

usage: export_m2m100.py REFERENCE_PY CHECKPOINT_DIR OUT_DIR
"""
import importlib.util
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from bench_reference import load_safetensors  # noqa: E402


def load_reference(path, d_model):
    spec = importlib.util.spec_from_file_location("m2m100_reference", path)
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)

    def ln(W, p, x):
        # The reference's LayerNorm with its width fixed: ONNX wants the
        # normalized shape constant, not read from the traced input.
        return F.layer_norm(x, (d_model,), W[p + ".weight"], W[p + ".bias"], 1e-5)

    ref.ln = ln
    return ref


class WithWeights(torch.nn.Module):
    """Holds the checkpoint's tensors as parameters, so that the export
    writes them once, as initializers in external data files."""

    def __init__(self, ref, weights, config):
        super().__init__()
        self.ref, self.c = ref, config
        self.held = torch.nn.ParameterDict(
            {name.replace(".", "__"): torch.nn.Parameter(t, requires_grad=False)
             for name, t in weights.items()})

    @property
    def w(self):
        return {name.replace("__", "."): t for name, t in self.held.items()}


class Encoder(WithWeights):
    def forward(self, input_ids, attention_mask):
        enc = self.ref.encode(self.w, self.c, input_ids, attention_mask)
        heads = self.c["decoder_attention_heads"]
        b, s, d = enc.shape
        outputs = [enc]
        for i in range(self.c["decoder_layers"]):
            p = f"model.decoder.layers.{i}.encoder_attn"
            for proj in ("k_proj", "v_proj"):
                x = self.ref.lin(self.w, f"{p}.{proj}", enc)
                outputs.append(x.view(b, s, heads, d // heads).transpose(1, 2))
        return tuple(outputs)


class DecoderStep(WithWeights):
    """The reference decode() for one new token per row, with the positions
    given as an input so that the graph needs no Python integers."""

    def __init__(self, ref, weights, config):
        super().__init__(ref, weights, config)
        d, pad = config["d_model"], config["pad_token_id"]
        self.table = ref.sinusoidal(config["max_position_embeddings"] + 4, d, pad)
        self.scale = math.sqrt(d) if config["scale_embedding"] else 1.0

    def forward(self, input_ids, positions, attention_mask, *caches):
        ref, w, c = self.ref, self.w, self.c
        layers = c["decoder_layers"]
        heads = c["decoder_attention_heads"]
        h = F.embedding(input_ids, w["model.shared.weight"]) * self.scale
        h = h + self.table[positions]
        cross_mask = ref.expand_mask(attention_mask, 1)
        grown = []
        for i in range(layers):
            p = f"model.decoder.layers.{i}"
            self_past = (caches[2 * i], caches[2 * i + 1])
            cross = (caches[2 * layers + 2 * i], caches[2 * layers + 2 * i + 1])
            # One new token sees every cached one: no causal mask.
            r = h
            h, self_past = ref.attention(w, p + ".self_attn",
                                         ref.ln(w, p + ".self_attn_layer_norm", h),
                                         heads, past=self_past)
            h = r + h
            r = h
            h, _ = ref.attention(w, p + ".encoder_attn",
                                 ref.ln(w, p + ".encoder_attn_layer_norm", h),
                                 heads, kv=h, mask=cross_mask, past=cross)
            h = r + h
            r = h
            h = ref.lin(w, p + ".fc2", F.relu(ref.lin(w, p + ".fc1",
                        ref.ln(w, p + ".final_layer_norm", h))))
            h = r + h
            grown.extend(self_past)
        h = ref.ln(w, "model.decoder.layer_norm", h)
        logits = F.linear(h[:, -1], w["model.shared.weight"])
        return (logits, *grown)


def names(layers, what):
    return [f"{what}_{kind}_{i}" for i in range(layers) for kind in ("k", "v")]


def write_check(ref, weights, config, out_dir, steps=4):
    """The reference's own greedy decode of one random source, and its logits
    at every step, for the peer to reproduce."""
    generator = torch.Generator().manual_seed(1)
    vocab = config["vocab_size"]
    ids = torch.randint(4, max(vocab - 300, 5), (1, 12), generator=generator)
    ids[:, 0] = vocab - 2
    ids[:, -1] = config["eos_token_id"]
    mask = torch.ones_like(ids)
    with torch.inference_mode():
        enc = ref.encode(weights, config, ids, mask)
        out = torch.full((1, 1), config["decoder_start_token_id"])
        cache, logits_per_step = None, []
        for _ in range(steps):
            logits, cache = ref.decode(weights, config, out[:, -1:], enc, mask,
                                       cache, past_len=out.shape[1] - 1)
            logits_per_step.append(logits[0, -1].tolist())
            out = torch.cat([out, logits[:, -1].argmax(-1)[:, None]], 1)
    with open(os.path.join(out_dir, "check.json"), "w") as f:
        json.dump({"input_ids": ids[0].tolist(), "tokens": out[0].tolist(),
                   "logits": logits_per_step}, f)


def main():
    reference_py, checkpoint, out_dir = sys.argv[1:4]
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(checkpoint, "config.json")) as f:
        config = json.load(f)
    ref = load_reference(reference_py, config["d_model"])
    weights = load_safetensors(os.path.join(checkpoint, "model.safetensors"))
    layers = config["decoder_layers"]
    heads = config["decoder_attention_heads"]
    d = config["d_model"]
    head_dim = d // heads
    batch, source = 2, 5
    ids = torch.full((batch, source), 5)
    mask = torch.ones_like(ids)
    with torch.inference_mode():
        encoder = Encoder(ref, weights, config)
        cross = encoder(ids, mask)[1:]
    step_dynamic = {"input_ids": {0: "batch"}, "positions": {0: "batch"},
                    "attention_mask": {0: "batch", 1: "source"},
                    "logits": {0: "batch"}}
    for name in names(layers, "past"):
        step_dynamic[name] = {0: "batch", 2: "past"}
    for name in names(layers, "present"):
        step_dynamic[name] = {0: "batch", 2: "present"}
    for name in names(layers, "cross"):
        step_dynamic[name] = {0: "batch", 2: "source"}
    encoder_dynamic = {"input_ids": {0: "batch", 1: "source"},
                       "attention_mask": {0: "batch", 1: "source"},
                       "encoder_out": {0: "batch", 1: "source"}}
    for name in names(layers, "cross"):
        encoder_dynamic[name] = {0: "batch", 2: "source"}
    torch.onnx.export(Encoder(ref, weights, config), (ids, mask),
                      os.path.join(out_dir, "encoder.onnx"),
                      input_names=["input_ids", "attention_mask"],
                      output_names=["encoder_out"] + names(layers, "cross"),
                      dynamic_axes=encoder_dynamic, opset_version=17)
    past = [torch.zeros(batch, heads, 3, head_dim) for _ in range(2 * layers)]
    step_inputs = (torch.full((batch, 1), 7), torch.full((batch, 1), 5), mask,
                   *past, *cross)
    torch.onnx.export(DecoderStep(ref, weights, config), step_inputs,
                      os.path.join(out_dir, "decoder_step.onnx"),
                      input_names=["input_ids", "positions", "attention_mask"]
                      + names(layers, "past") + names(layers, "cross"),
                      output_names=["logits"] + names(layers, "present"),
                      dynamic_axes=step_dynamic, opset_version=17)
    write_check(ref, weights, config, out_dir)
    meta = {"layers": layers, "heads": heads, "head_dim": head_dim,
            "pad": config["pad_token_id"], "vocab": config["vocab_size"],
            "eos": config["eos_token_id"],
            "start": config["decoder_start_token_id"]}
    with open(os.path.join(out_dir, "meta.json"), "w") as f:
        json.dump(meta, f)
    print(out_dir, json.dumps(meta))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Converts an original OpenAI Whisper checkpoint (the .pt file of the
`whisper` package: a dict with "dims" and "model_state_dict") into the
Hugging Face layout that Parley loads: config.json, generation_config.json
and model.safetensors with WhisperForConditionalGeneration tensor names.

usage: /usr/bin/python3 tools/convert_whisper.py MODEL.pt OUT_DIR
           [--tiktoken FILE] [--tokenizer DIR]

--tiktoken FILE  writes vocab.json and added_tokens.json from the whisper
                 package's tokenizer file (assets/multilingual.tiktoken, or
                 gpt2.tiktoken for the English-only models)
--tokenizer DIR  copies Hugging Face tokenizer files (vocab.json,
                 added_tokens.json, tokenizer.json, ...) from DIR

Parley needs a vocabulary to transcribe; take it from one of the two. Dtypes
are kept as they are (the released checkpoints are float16).
"""

import base64
import json
import os
import re
import shutil
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from convert_checkpoint import write_safetensors  # noqa: E402

TOKENIZER_FILES = [
    "vocab.json",
    "merges.txt",
    "added_tokens.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "normalizer.json",
    "preprocessor_config.json",
]

# The whisper package's languages, in token order (tokenizer.py LANGUAGES).
LANGUAGES = (
    "en zh de es ru ko fr ja pt tr pl ca nl ar sv it id hi fi vi he uk el ms "
    "cs ro da hu ta no th ur hr bg lt la mi ml cy sk te fa lv bn sr az sl kn "
    "et mk br eu is hy ne mn bs kk sq sw gl mr pa si km sn yo so af oc ka be "
    "tg sd gu am yi lo uz fo ht ps tk nn mt sa lb my bo tl mg as tt haw ln ha "
    "ba jw su yue"
).split()

# Control tokens after the languages, then 1501 timestamps (0.00 to 30.00 s).
CONTROL_TOKENS = ["<|translate|>", "<|transcribe|>", "<|startoflm|>",
                  "<|startofprev|>", "<|nospeech|>", "<|notimestamps|>"]
TIMESTAMPS = 1501

# OpenAI module names inside a block -> Hugging Face names.
BLOCK_MODULES = {
    "attn.query": "self_attn.q_proj",
    "attn.key": "self_attn.k_proj",
    "attn.value": "self_attn.v_proj",
    "attn.out": "self_attn.out_proj",
    "attn_ln": "self_attn_layer_norm",
    "cross_attn.query": "encoder_attn.q_proj",
    "cross_attn.key": "encoder_attn.k_proj",
    "cross_attn.value": "encoder_attn.v_proj",
    "cross_attn.out": "encoder_attn.out_proj",
    "cross_attn_ln": "encoder_attn_layer_norm",
    "mlp.0": "fc1",
    "mlp.2": "fc2",
    "mlp_ln": "final_layer_norm",
}

RENAMED = {
    "encoder.positional_embedding": "model.encoder.embed_positions.weight",
    "decoder.positional_embedding": "model.decoder.embed_positions.weight",
    "decoder.token_embedding.weight": "model.decoder.embed_tokens.weight",
}

# Buffers some checkpoints carry that the model rebuilds itself.
IGNORED = {"decoder.mask", "alignment_heads"}


def hf_name(name):
    """The Hugging Face name of an OpenAI tensor name, or None."""
    if name in RENAMED:
        return RENAMED[name]
    m = re.fullmatch(r"encoder\.(conv1|conv2)\.(weight|bias)", name)
    if m:
        return f"model.encoder.{m[1]}.{m[2]}"
    m = re.fullmatch(r"(encoder\.ln_post|decoder\.ln)\.(weight|bias)", name)
    if m:
        side = m[1].split(".")[0]
        return f"model.{side}.layer_norm.{m[2]}"
    m = re.fullmatch(r"(encoder|decoder)\.blocks\.(\d+)\.(.+)\.(weight|bias)",
                     name)
    if m and m[3] in BLOCK_MODULES:
        return f"model.{m[1]}.layers.{m[2]}.{BLOCK_MODULES[m[3]]}.{m[4]}"
    return None


def special_ids(dims, added):
    """eot and sot: from the tokenizer's added tokens when there is one, else
    as in the released models, where the English-only ones keep GPT-2's 50257
    tokens, one fewer than the multilingual vocabulary."""
    if "<|endoftext|>" in added and "<|startoftranscript|>" in added:
        return added["<|endoftext|>"], added["<|startoftranscript|>"]
    n_vocab = dims["n_vocab"]
    if n_vocab < 51864:
        sys.exit(f"n_vocab {n_vocab} is no released Whisper vocabulary; pass "
                 "--tiktoken or --tokenizer to place the special tokens")
    eot = 50257 if n_vocab >= 51865 else 50256
    return eot, eot + 1


def config_json(dims, added):
    d = dims["n_audio_state"]
    if dims["n_text_state"] != d:
        sys.exit(f"n_audio_state {d} differs from n_text_state "
                 f"{dims['n_text_state']}; Hugging Face Whisper has one d_model")
    eot, sot = special_ids(dims, added)
    return {
        "model_type": "whisper",
        "architectures": ["WhisperForConditionalGeneration"],
        "vocab_size": dims["n_vocab"],
        "num_mel_bins": dims["n_mels"],
        "d_model": d,
        "encoder_layers": dims["n_audio_layer"],
        "encoder_attention_heads": dims["n_audio_head"],
        "decoder_layers": dims["n_text_layer"],
        "decoder_attention_heads": dims["n_text_head"],
        "encoder_ffn_dim": 4 * d,
        "decoder_ffn_dim": 4 * d,
        "max_source_positions": dims["n_audio_ctx"],
        "max_target_positions": dims["n_text_ctx"],
        "activation_function": "gelu",
        "scale_embedding": False,
        "tie_word_embeddings": True,
        "decoder_start_token_id": sot,
        "eos_token_id": eot,
        "pad_token_id": eot,
        "bos_token_id": eot,
    }


def generation_config_json(config, vocab):
    eot = config["eos_token_id"]
    # " " is token 220 in both released vocabularies
    space = vocab.get(bytes_to_unicode()[ord(" ")], 220) if vocab else 220
    return {
        "decoder_start_token_id": config["decoder_start_token_id"],
        "eos_token_id": eot,
        "pad_token_id": eot,
        "max_length": config["max_target_positions"],
        "begin_suppress_tokens": [space, eot],
    }


def bytes_to_unicode():
    """GPT-2's printable stand-in for each byte."""
    printable = (list(range(ord("!"), ord("~") + 1))
                 + list(range(ord("¡"), ord("¬") + 1))
                 + list(range(ord("®"), ord("ÿ") + 1)))
    table, extra = {}, 0
    for b in range(256):
        if b in printable:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return table


def tiktoken_vocabulary(path, n_vocab):
    """vocab.json and added_tokens.json from a .tiktoken file (base64 token
    and rank per line) laid out as the whisper package's tokenizer does."""
    table = bytes_to_unicode()
    vocab = {}
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            token, rank = line.split()
            text = "".join(table[b] for b in base64.b64decode(token))
            vocab[text] = int(rank)
    languages = n_vocab - len(vocab) - 2 - len(CONTROL_TOKENS) - TIMESTAMPS
    if not 0 <= languages <= len(LANGUAGES):
        sys.exit(f"{path}: {len(vocab)} tokens do not fit a vocabulary of "
                 f"{n_vocab}")
    specials = (["<|endoftext|>", "<|startoftranscript|>"]
                + [f"<|{code}|>" for code in LANGUAGES[:languages]]
                + CONTROL_TOKENS
                + [f"<|{i * 0.02:.2f}|>" for i in range(TIMESTAMPS)])
    added = {text: len(vocab) + i for i, text in enumerate(specials)}
    return vocab, added


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=2, ensure_ascii=False)
        f.write("\n")


def main(argv):
    args, options = [], {}
    i = 1
    while i < len(argv):
        if argv[i] in ("--tiktoken", "--tokenizer") and i + 1 < len(argv):
            options[argv[i]] = argv[i + 1]
            i += 2
        elif argv[i].startswith("--"):
            sys.exit(__doc__)
        else:
            args.append(argv[i])
            i += 1
    if len(args) != 2:
        sys.exit(__doc__)
    src, out = args
    checkpoint = torch.load(src, map_location="cpu")
    if not isinstance(checkpoint, dict) or "dims" not in checkpoint \
            or "model_state_dict" not in checkpoint:
        sys.exit(f"{src}: not an OpenAI Whisper checkpoint (no 'dims' and "
                 "'model_state_dict')")
    dims = checkpoint["dims"]
    os.makedirs(out, exist_ok=True)

    vocab, added = None, {}
    if "--tiktoken" in options:
        vocab, added = tiktoken_vocabulary(options["--tiktoken"],
                                           dims["n_vocab"])
        write_json(os.path.join(out, "vocab.json"), vocab)
        write_json(os.path.join(out, "added_tokens.json"), added)
        print(f"wrote vocab.json ({len(vocab)} tokens), added_tokens.json "
              f"({len(added)} tokens)")
    if "--tokenizer" in options:
        for name in TOKENIZER_FILES:
            source = os.path.join(options["--tokenizer"], name)
            if os.path.isfile(source):
                shutil.copyfile(source, os.path.join(out, name))
                print(f"copied {name}")
        for name in ("added_tokens.json", "vocab.json"):
            path = os.path.join(out, name)
            if os.path.isfile(path):
                with open(path) as f:
                    if name == "vocab.json":
                        vocab = json.load(f)
                    else:
                        added = json.load(f)

    config = config_json(dims, added)
    write_json(os.path.join(out, "config.json"), config)
    write_json(os.path.join(out, "generation_config.json"),
               generation_config_json(config, vocab))
    print("wrote config.json, generation_config.json")

    tensors, unknown = {}, []
    for name, tensor in checkpoint["model_state_dict"].items():
        if name in IGNORED:
            continue
        renamed = hf_name(name)
        if renamed is None:
            unknown.append(name)
            continue
        tensors[renamed] = tensor.detach().contiguous()
    if unknown:
        sys.exit(f"{src}: tensors with no Hugging Face name: "
                 + ", ".join(sorted(unknown)))
    path = os.path.join(out, "model.safetensors")
    data_bytes = write_safetensors(path, tensors, {"format": "pt"})
    parameters = sum(t.numel() for t in tensors.values())
    print(f"wrote {path}: {len(tensors)} tensors, {parameters} parameters, "
          f"{data_bytes} bytes of data")


if __name__ == "__main__":
    main(sys.argv)

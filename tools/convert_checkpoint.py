#!/usr/bin/python3
"""Converts a Hugging Face checkpoint saved as pytorch_model.bin (or sharded
pytorch_model.bin.index.json + shards) into one model.safetensors.

usage: /usr/bin/python3 tools/convert_checkpoint.py SRC_DIR [OUT_DIR]

OUT_DIR defaults to SRC_DIR; when it differs, config.json and the tokenizer
files are copied beside the weights. Dtypes are kept as they are. Tensors that
share storage (tied weights such as lm_head.weight and model.shared.weight)
are written once; the C++ loader falls back between the tied names.
"""

import json
import os
import shutil
import struct
import sys

import torch

COPIED_FILES = [
    "config.json",
    "sentencepiece.bpe.model",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "vocab.json",
    "merges.txt",
    "added_tokens.json",
    "generation_config.json",
    "preprocessor_config.json",
]

# torch dtype -> (safetensors dtype, a same-sized dtype numpy can export)
DTYPES = {
    torch.float32: ("F32", torch.float32),
    torch.float16: ("F16", torch.float16),
    torch.bfloat16: ("BF16", torch.int16),
    torch.float64: ("F64", torch.float64),
    torch.int64: ("I64", torch.int64),
    torch.int32: ("I32", torch.int32),
    torch.int16: ("I16", torch.int16),
    torch.int8: ("I8", torch.int8),
    torch.uint8: ("U8", torch.uint8),
    torch.bool: ("BOOL", torch.bool),
}

# Among tied names, the one kept; the rest of a tied group is dropped.
PREFERRED_NAMES = ["model.shared.weight"]


def load_state_dict(src):
    single = os.path.join(src, "pytorch_model.bin")
    index = os.path.join(src, "pytorch_model.bin.index.json")
    if os.path.isfile(single):
        return torch.load(single, map_location="cpu")
    if not os.path.isfile(index):
        sys.exit(f"{src}: no pytorch_model.bin and no pytorch_model.bin.index.json")
    with open(index) as f:
        weight_map = json.load(f)["weight_map"]
    state = {}
    for shard in sorted(set(weight_map.values())):
        path = os.path.join(src, shard)
        if not os.path.isfile(path):
            sys.exit(f"{src}: index names shard {shard}, which is missing")
        state.update(torch.load(path, map_location="cpu"))
    return state


def storage_key(tensor):
    """Equal for tensors that are the same view of the same storage."""
    if tensor.numel() == 0:
        return id(tensor)
    return (tensor.storage().data_ptr(), tensor.storage_offset(),
            tuple(tensor.shape), tuple(tensor.stride()), tensor.dtype)


def drop_tied(state):
    """Keeps one name per group of tensors sharing storage; returns the kept
    tensors by name and the dropped names with the name each was tied to."""
    groups = {}
    for name in sorted(state):
        groups.setdefault(storage_key(state[name]), []).append(name)
    kept, dropped = {}, {}
    for names in groups.values():
        preferred = [n for n in PREFERRED_NAMES if n in names]
        keep = preferred[0] if preferred else names[0]
        kept[keep] = state[keep]
        for name in names:
            if name != keep:
                dropped[name] = keep
    return kept, dropped


def tensor_bytes(tensor):
    _, export_dtype = DTYPES[tensor.dtype]
    tensor = tensor.detach().contiguous()
    if export_dtype != tensor.dtype:
        tensor = tensor.view(export_dtype)
    return tensor.numpy().tobytes()


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    offset = 0
    # Widest elements first, as the reference writer does, so that every
    # tensor stays aligned to its element size in a mapping.
    names = sorted(tensors, key=lambda n: (-tensors[n].element_size(), n))
    for name in names:
        tensor = tensors[name]
        if tensor.dtype not in DTYPES:
            sys.exit(f"{name}: unsupported dtype {tensor.dtype}")
        size = tensor.numel() * tensor.element_size()
        header[name] = {
            "dtype": DTYPES[tensor.dtype][0],
            "shape": list(tensor.shape),
            "data_offsets": [offset, offset + size],
        }
        offset += size
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for name in names:
            f.write(tensor_bytes(tensors[name]))
    return offset


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    src = argv[1]
    out = argv[2] if len(argv) == 3 else src
    os.makedirs(out, exist_ok=True)

    state = {k: v for k, v in load_state_dict(src).items()
             if isinstance(v, torch.Tensor)}
    tensors, dropped = drop_tied(state)
    path = os.path.join(out, "model.safetensors")
    data_bytes = write_safetensors(path, tensors, {"format": "pt"})

    parameters = sum(t.numel() for t in tensors.values())
    dtypes = sorted({DTYPES[t.dtype][0] for t in tensors.values()})
    print(f"wrote {path}: {len(tensors)} tensors, {parameters} parameters, "
          f"{data_bytes} bytes of data ({', '.join(dtypes)})")
    for name, kept in sorted(dropped.items()):
        print(f"  {name}: tied to {kept}, not written")

    if os.path.abspath(out) != os.path.abspath(src):
        for name in COPIED_FILES:
            source = os.path.join(src, name)
            if os.path.isfile(source):
                shutil.copyfile(source, os.path.join(out, name))
                print(f"copied {name}")


if __name__ == "__main__":
    main(sys.argv)

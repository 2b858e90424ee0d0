#!/usr/bin/env python3
"""Runs a `parley bench` over a range of concurrencies for a few set-ups,
then writes docs/bench/<name>.csv, docs/bench/<name>.png and a Markdown table
on standard output. Needs python3-matplotlib (docs only).

    tools/bench_sweep.py cache [--rounds N]   # in-process cache-hit path
    tools/bench_sweep.py zmq [--rounds N]     # end to end over ZMQ, cached
                                              # tasks beside the Python peer
    tools/bench_sweep.py model --checkpoint DIR  # NLLB decoding speed
    tools/bench_sweep.py NAME --replot        # redraw from the CSV
"""

import argparse
import csv
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# name -> (title, throughput unit, target lines, set-ups); each set-up is
# (label, extra arguments, concurrencies). A set-up with `--peer python` also
# yields the rows of tools/peer_translator.py, labelled PEER_LABEL.
PEER_LABEL = "{}, Python asyncio peer"
SWEEPS = {
    "cache": (
        "parley bench cache: cache-hit path, 3 languages per request",
        "requests/s", (200_000, 100),
        [("1 thread, sharing",
          ["--requests", "200000", "--threads", "1", "--scheduler", "sharing"],
          [1, 2, 4, 8, 16, 32]),
         ("2 threads, stealing",
          ["--requests", "200000", "--threads", "2", "--scheduler", "stealing"],
          [1, 2, 4, 8, 16, 32])]),
    "zmq": (
        "parley bench zmq: end to end over ZMQ, 3 languages per task",
        "tasks/s", (50_000, 2000),
        [("cached", ["--requests", "30000", "--cached", "1",
                     "--peer", "python"],
          [8, 16, 32, 64, 128]),
         ("uncached, echo model",
          ["--requests", "20000", "--cached", "0",
           "--server-set", "models.echo.kind=echo"],
          [8, 16, 32, 64, 128]),
         ("uncached, Apertium",
          ["--requests", "1000", "--cached", "0"],
          [1, 4, 16])]),
}


def run(binary, name, label, extra, concurrency, rounds):
    """One benchmark run: a (label, rate, p50, p99) row per server."""
    out = subprocess.run(
        [binary, "bench", name, "--rounds", str(rounds), "--concurrency",
         str(concurrency)] + extra,
        check=True, capture_output=True, text=True).stdout
    figures = r"\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)"
    if "--peer" not in extra:
        median = re.search(r"^median" + figures, out, re.M)
        return [(label,) + tuple(float(x) for x in median.groups())]
    rows = []
    for server, rate, p50, p99 in re.findall(
            r"^median\s+(parley|peer)" + figures, out, re.M):
        rows.append((label if server == "parley" else PEER_LABEL.format(label),
                     float(rate), float(p50), float(p99)))
    return rows


def plot(name, rows, rounds):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    title, unit, (rate_target, p99_target), _ = SWEEPS[name]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    labels = list(dict.fromkeys(r[0] for r in rows))
    for index, label in enumerate(labels):
        mine = [r for r in rows if r[0] == label]
        xs = [r[1] for r in mine]
        color = f"C{index}"
        left.plot(xs, [r[2] / 1000 for r in mine], marker="o", color=color,
                  label=label)
        right.plot(xs, [r[4] for r in mine], marker="o", color=color,
                   label=label + " p99")
        right.plot(xs, [r[3] for r in mine], marker=".", linestyle="--",
                   color=color, label=label + " p50")
    left.axhline(rate_target / 1000, color="grey", linestyle=":",
                 label=f"target {rate_target // 1000}k {unit}")
    right.axhline(p99_target, color="grey", linestyle=":",
                  label=f"target p99 {p99_target} us")
    for axis in (left, right):
        axis.set_xscale("log", base=2)
        axis.set_xlabel("in flight")
        axis.legend(fontsize=7)
        axis.grid(alpha=0.3)
    left.set_ylabel(f"thousand {unit}")
    left.set_yscale("log")
    right.set_ylabel("latency (us)")
    right.set_yscale("log")
    fig.suptitle(f"{title} (median of {rounds} rounds)")
    fig.tight_layout()
    fig.savefig(ROOT / "docs/bench" / f"{name}.png", dpi=110)


MODEL_ROW = re.compile(r"^(parley \w+|onnxruntime float32|pytorch reference)"
                       r"\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", re.M)


def model_bench(checkpoint, replot, onnx=None, output=None):
    """`parley bench model` once (or its saved `output`): tokens/s per
    configuration and batch."""
    out_dir = ROOT / "docs/bench"
    path = out_dir / "model.csv"
    cpu = ""
    if replot:
        with open(path) as f:
            rows = [(r[0], int(r[1]), float(r[2]), float(r[3]), float(r[4]))
                    for r in list(csv.reader(f))[1:]]
    else:
        if output:
            with open(output) as f:
                out = f.read()
        else:
            command = [str(ROOT / "build/bin/parley"), "bench", "model",
                       "--checkpoint", checkpoint]
            if onnx:
                command += ["--onnx", onnx]
            out = subprocess.run(command, check=True, capture_output=True,
                                 text=True).stdout
        print(out, file=sys.stderr)
        found = re.search(r"^cpu: (.*)$", out, re.M)
        cpu = f"\n{found.group(1)}" if found else ""
        rows = [(m[0], int(m[1]), float(m[2]), float(m[3]), float(m[4]))
                for m in MODEL_ROW.findall(out)]
        with open(path, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["config", "batch", "tokens_per_s", "encode_ms",
                             "step_ms"])
            writer.writerows(rows)
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    configs = list(dict.fromkeys(r[0] for r in rows))
    batches = sorted({r[1] for r in rows})
    fig, axes = plt.subplots(1, len(batches), figsize=(6 * len(batches), 4.5))
    for axis, batch in zip(axes, batches):
        values = [next((r[2] for r in rows if r[0] == c and r[1] == batch), 0)
                  for c in configs]
        colors = ["C7" if c == "pytorch reference" else
                  "C9" if c.startswith("onnxruntime") else f"C{i}"
                  for i, c in enumerate(configs)]
        bars = axis.bar(configs, values, color=colors)
        axis.tick_params(axis="x", labelrotation=30)
        for bar, value in zip(bars, values):
            axis.annotate(f"{value:.1f}", (bar.get_x() + bar.get_width() / 2,
                                           value), ha="center", va="bottom")
        axis.set_title(f"batch {batch}")
        axis.set_ylabel("target tokens/s")
    fig.suptitle("parley bench model: nllb-600m-shaped checkpoint, greedy, "
                 "2 threads" + cpu)
    fig.tight_layout()
    fig.savefig(out_dir / "model.png", dpi=110)
    print("| config | batch | tokens/s | encode ms | step ms |")
    print("|---|---:|---:|---:|---:|")
    for config, batch, rate, encode, step in rows:
        print(f"| {config} | {batch} | {rate:.1f} | {encode:.1f} | {step:.1f} |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("name", choices=sorted(SWEEPS) + ["model"])
    parser.add_argument("--checkpoint", default="/tmp/nllb-600m")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--replot", action="store_true")
    parser.add_argument("--onnx", help="model: ONNX Runtime peer graphs")
    parser.add_argument("--output", help="model: plot this saved output")
    args = parser.parse_args()
    if args.name == "model":
        model_bench(args.checkpoint, args.replot, args.onnx, args.output)
        return
    out_dir = ROOT / "docs/bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{args.name}.csv"
    if args.replot:
        with open(path) as f:
            rows = [(r[0], int(r[1]), float(r[2]), float(r[3]), float(r[4]))
                    for r in list(csv.reader(f))[1:]]
    else:
        binary = str(ROOT / "build/bin/parley")
        rows = []
        for label, extra, concurrencies in SWEEPS[args.name][3]:
            for concurrency in concurrencies:
                for server, rate, p50, p99 in run(
                        binary, args.name, label, extra, concurrency,
                        args.rounds):
                    rows.append((server, concurrency, rate, p50, p99))
                    print(f"{server:32} c={concurrency:3} {rate:9.0f}/s "
                          f"p50 {p50:8.1f} us p99 {p99:8.1f} us",
                          file=sys.stderr)
        with open(path, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["setup", "concurrency", "per_s", "p50_us",
                             "p99_us"])
            writer.writerows(rows)
    plot(args.name, rows, args.rounds)
    unit = SWEEPS[args.name][1]
    print(f"| set-up | in flight | {unit} | p50 µs | p99 µs |")
    print("|---|---:|---:|---:|---:|")
    for label, concurrency, rate, p50, p99 in rows:
        print(f"| {label} | {concurrency} | {rate:,.0f} | {p50:,.1f} | {p99:,.1f} |")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Runs `parley bench speech` a few times, with the audio load transcribed by
PocketSphinx and then by a Whisper checkpoint, and writes
docs/bench/speech.csv, docs/bench/speech.png and Markdown tables on standard
output. Medians over the repeats. Needs python3-matplotlib (docs only).

    tools/bench_speech_plot.py --whisper-tiny DIR --whisper-base DIR [--repeat N]
    tools/bench_speech_plot.py --replot

Make the checkpoints with `parley make-checkpoint --shape whisper-tiny|whisper-base`.
"""

import argparse
import csv
import pathlib
import re
import statistics
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "docs/bench"
RTF = re.compile(r"^rtf (.+?)\s+([\d.]+)\s+\(", re.M)
LATENCY = re.compile(
    r"^text (alone|under audio)\s+p50\s+([\d.]+) ms\s+p95\s+([\d.]+) ms", re.M)


def bench(extra):
    command = [str(ROOT / "build/bin/parley"), "bench", "speech"] + extra
    out = subprocess.run(command, check=True, capture_output=True,
                         text=True).stdout
    print(out, file=sys.stderr)
    return out


def measure(args):
    """Rows of (kind, config, metric, value), one per repeat and figure."""
    rows = []
    loads = [("PocketSphinx", []),
             ("Whisper base", ["--load-whisper", args.whisper_base])]
    for _ in range(args.repeat):
        for label, load in loads:
            rtf = (["--whisper", args.whisper_tiny, "--whisper",
                    args.whisper_base] if label == "PocketSphinx" else [])
            out = bench(rtf + load + ["--seconds", str(args.seconds)])
            for config, value in RTF.findall(out):
                rows.append(("rtf", config.strip(), "rtf", float(value)))
            for phase, p50, p95 in LATENCY.findall(out):
                name = "alone" if phase == "alone" else f"under {label} load"
                rows.append(("latency", f"{label}: {name}", "p50", float(p50)))
                rows.append(("latency", f"{label}: {name}", "p95", float(p95)))
    return rows


def medians(rows):
    grouped = {}
    for kind, config, metric, value in rows:
        grouped.setdefault((kind, config, metric), []).append(value)
    return {key: statistics.median(values) for key, values in grouped.items()}


def p95_ratios(rows):
    """Per load: the p95 under load / p95 alone of each run (same process,
    side by side), in run order."""
    alone, loaded = {}, {}
    for kind, config, metric, value in rows:
        if kind != "latency" or metric != "p95":
            continue
        label, phase = config.split(": ")
        (alone if phase == "alone" else loaded).setdefault(label, []).append(
            value)
    return {label: [l / a for a, l in zip(alone[label], loaded[label])]
            for label in alone}


def plot(figures):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    rtf = [(c, v) for (k, c, _), v in figures.items() if k == "rtf"]
    bars = left.barh([c for c, _ in rtf], [v for _, v in rtf], color="C0")
    for bar, (_, value) in zip(bars, rtf):
        left.annotate(f"{value:.3f}", (value, bar.get_y() + bar.get_height() / 2),
                      va="center")
    left.set_xlim(0, max(v for _, v in rtf) * 1.15)
    left.invert_yaxis()
    left.set_xlabel("real-time factor (processing ÷ audio; lower is faster)")
    left.set_title("recognizers on jfk.wav (11 s), 2 threads")
    configs = sorted({c for (k, c, _) in figures if k == "latency"})
    for offset, metric, color in ((-0.2, "p50", "C2"), (0.2, "p95", "C3")):
        values = [figures[("latency", c, metric)] for c in configs]
        positions = [i + offset for i in range(len(configs))]
        right.bar(positions, values, width=0.4, label=metric, color=color)
        for x, value in zip(positions, values):
            right.annotate(f"{value:.1f}", (x, value), ha="center",
                           va="bottom")
    right.set_xticks(range(len(configs)))
    right.set_xticklabels([c.replace(": ", ":\n") for c in configs],
                          fontsize=8)
    right.set_ylabel("text translation latency, ms")
    right.set_title("text latency, alone and under audio_process load")
    right.legend()
    fig.suptitle("parley bench speech (2-core machine, medians)")
    fig.tight_layout()
    fig.savefig(OUT / "speech.png", dpi=110)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--whisper-tiny", default="/tmp/whisper-tiny")
    parser.add_argument("--whisper-base", default="/tmp/whisper-base")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--replot", action="store_true")
    args = parser.parse_args()
    path = OUT / "speech.csv"
    if args.replot:
        with open(path) as f:
            rows = [(r[0], r[1], r[2], float(r[3]))
                    for r in list(csv.reader(f))[1:]]
    else:
        rows = measure(args)
        OUT.mkdir(parents=True, exist_ok=True)
        with open(path, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["kind", "config", "metric", "value"])
            writer.writerows(rows)
    figures = medians(rows)
    plot(figures)
    print("| recognizer | real-time factor |")
    print("|---|---:|")
    for (kind, config, _), value in figures.items():
        if kind == "rtf":
            print(f"| {config} | {value:.3f} |")
    print()
    print("| text translation | p50 ms | p95 ms |")
    print("|---|---:|---:|")
    for (kind, config, metric), value in figures.items():
        if kind == "latency" and metric == "p50":
            p95 = figures[(kind, config, "p95")]
            print(f"| {config} | {value:.2f} | {p95:.2f} |")
    print()
    print("| audio load | p95 under load / p95 alone, each run | median |")
    print("|---|---|---:|")
    for label, ratios in p95_ratios(rows).items():
        runs = ", ".join(f"{r:.2f}" for r in ratios)
        print(f"| {label} | {runs} | {statistics.median(ratios):.2f} |")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Runs `parley bench cluster` a few times and writes docs/bench/cluster.csv
(medians over the runs), docs/bench/cluster.png and a Markdown table on
standard output. Needs python3-matplotlib (docs only).

    tools/bench_cluster_plot.py [--repeat N]
    tools/bench_cluster_plot.py --replot
"""

import argparse
import csv
import pathlib
import statistics
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "docs/bench"


def run_once():
    with tempfile.NamedTemporaryFile(suffix=".csv") as out:
        printed = subprocess.run(
            [str(ROOT / "build/bin/parley"), "bench", "cluster", "--csv",
             out.name], check=True, capture_output=True, text=True).stdout
        print(printed, file=sys.stderr)
        with open(out.name) as f:
            return {row["measure"]: (float(row["value"]), row["unit"])
                    for row in csv.DictReader(f)}


def medians(runs):
    return {key: (statistics.median(run[key][0] for run in runs),
                  runs[0][key][1]) for key in runs[0]}


def plot(figures):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    labels = ["one-job batch", "1.92 MB job\n(30 s audio window)"]
    local = [figures["local_batch"][0], figures["local_window"][0]]
    remote = [figures["remote_batch"][0], figures["remote_window"][0]]
    for offset, values, name, color in ((-0.2, local, "in this process", "C0"),
                                        (0.2, remote, "on a worker", "C1")):
        positions = [i + offset for i in range(len(labels))]
        left.bar(positions, values, width=0.4, label=name, color=color)
        for x, value in zip(positions, values):
            left.annotate(f"{value:.0f}", (x, value), ha="center", va="bottom")
    left.set_xticks(range(len(labels)))
    left.set_xticklabels(labels)
    left.set_ylabel("round trip, µs (p50)")
    left.set_title("cost of a batch on a worker node")
    left.legend()
    rates = [figures["throughput_1_worker"][0],
             figures["throughput_2_workers"][0]]
    bars = right.bar(["1 worker", "2 workers"], rates, color=["C2", "C3"])
    for bar, value in zip(bars, rates):
        right.annotate(f"{value:.0f}/s", (bar.get_x() + bar.get_width() / 2,
                                          value), ha="center", va="bottom")
    right.set_ylabel("jobs per second")
    right.set_title(f"echo, 20 ms per batch: {rates[1] / rates[0]:.2f}× with 2 "
                    f"workers; kill -9 answered in "
                    f"{figures['kill_answered_within'][0]:.0f} ms", fontsize=9)
    fig.suptitle("parley bench cluster (2-core machine, medians)")
    fig.tight_layout()
    fig.savefig(OUT / "cluster.png", dpi=110)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--replot", action="store_true")
    args = parser.parse_args()
    path = OUT / "cluster.csv"
    if args.replot:
        with open(path) as f:
            figures = {row["measure"]: (float(row["value"]), row["unit"])
                       for row in csv.DictReader(f)}
    else:
        figures = medians([run_once() for _ in range(args.repeat)])
        with open(path, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["measure", "value", "unit"])
            for key, (value, unit) in figures.items():
                writer.writerow([key, f"{value:.1f}", unit])
    plot(figures)
    print("| measure | median | unit |\n|---|---:|---|")
    for key, (value, unit) in figures.items():
        print(f"| {key} | {value:.1f} | {unit} |")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Runs `parley bench cache` over a range of concurrencies and two scheduler
set-ups, then writes docs/bench/cache.csv, docs/bench/cache.png and a
Markdown table on standard output. Needs python3-matplotlib (docs only).

    tools/bench_cache_sweep.py [--requests N] [--rounds N]
"""

import argparse
import csv
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SETUPS = [("1 thread, sharing", ["--threads", "1", "--scheduler", "sharing"]),
          ("2 threads, stealing", ["--threads", "2", "--scheduler", "stealing"])]
CONCURRENCY = [1, 2, 4, 8, 16, 32]


def run(binary, extra, concurrency, requests, rounds):
    out = subprocess.run(
        [binary, "bench", "cache", "--requests", str(requests), "--rounds",
         str(rounds), "--concurrency", str(concurrency)] + extra,
        check=True, capture_output=True, text=True).stdout
    median = re.search(r"^median\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", out, re.M)
    return tuple(float(x) for x in median.groups())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--replot", action="store_true",
                        help="redraw from docs/bench/cache.csv")
    args = parser.parse_args()
    out_dir = ROOT / "docs/bench"
    if args.replot:
        with open(out_dir / "cache.csv") as f:
            rows = [(r[0], int(r[1]), float(r[2]), float(r[3]), float(r[4]))
                    for r in list(csv.reader(f))[1:]]
        write_outputs(rows, out_dir, args.rounds)
        return
    binary = str(ROOT / "build/bin/parley")
    rows = []
    for name, extra in SETUPS:
        for concurrency in CONCURRENCY:
            rps, p50, p99 = run(binary, extra, concurrency, args.requests,
                                args.rounds)
            rows.append((name, concurrency, rps, p50, p99))
            print(f"{name:22} c={concurrency:3} {rps:9.0f}/s p50 {p50:6.1f} us"
                  f" p99 {p99:6.1f} us", file=sys.stderr)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_outputs(rows, out_dir, args.rounds)


def write_outputs(rows, out_dir, rounds):
    with open(out_dir / "cache.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["setup", "concurrency", "requests_per_s", "p50_us",
                         "p99_us"])
        writer.writerows(rows)

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for index, (name, _) in enumerate(SETUPS):
        mine = [r for r in rows if r[0] == name]
        xs = [r[1] for r in mine]
        color = f"C{index}"
        left.plot(xs, [r[2] / 1000 for r in mine], marker="o", color=color,
                  label=name)
        right.plot(xs, [r[4] for r in mine], marker="o", color=color,
                   label=name + " p99")
        right.plot(xs, [r[3] for r in mine], marker=".", linestyle="--",
                   color=color, label=name + " p50")
    left.axhline(200, color="grey", linestyle=":", label="target 200k/s")
    right.axhline(100, color="grey", linestyle=":", label="target p99 100 us")
    for axis in (left, right):
        axis.set_xscale("log", base=2)
        axis.set_xlabel("requests in flight")
        axis.legend(fontsize=7)
        axis.grid(alpha=0.3)
    left.set_ylabel("thousand requests/s")
    right.set_ylabel("latency (us)")
    right.set_yscale("log")
    fig.suptitle("parley bench cache: cache-hit path, 3 languages per request "
                 "(median of %d rounds)" % rounds)
    fig.tight_layout()
    fig.savefig(out_dir / "cache.png", dpi=110)

    print("| scheduler | in flight | requests/s | p50 µs | p99 µs |")
    print("|---|---:|---:|---:|---:|")
    for name, concurrency, rps, p50, p99 in rows:
        print(f"| {name} | {concurrency} | {rps:,.0f} | {p50:.1f} | {p99:.1f} |")


if __name__ == "__main__":
    main()

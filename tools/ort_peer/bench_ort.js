#!/usr/bin/env node
// The ONNX Runtime peer of `parley bench model`: greedy decoding of the
// graphs tools/ort_peer/export_m2m100.py wrote, on the same shapes as
// Parley's timing. It first checks its logits against the reference's own
// (check.json) and refuses to time a graph that does not reproduce them.
// Prints one JSON line per batch size, as tools/bench_reference.py does.
//
// usage: bench_ort.js ONNX_DIR BATCH[,BATCH...] SOURCE_TOKENS NEW_TOKENS THREADS
'use strict';

const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

/// Largest |ONNX - reference| logit accepted: the same float32 math, with
/// sums in another order.
const checkTolerance = 1e-3;

function int64Tensor(values, dims) {
  return new ort.Tensor('int64', BigInt64Array.from(values, BigInt), dims);
}

class Peer {
  constructor(encoder, step, meta) {
    this.encoder = encoder;
    this.step = step;
    this.meta = meta;
  }

  /// Encodes `ids` (rows of equal length) and returns the decoding state.
  async start(ids) {
    const batch = ids.length;
    const source = ids[0].length;
    const flat = ids.flat();
    const mask = int64Tensor(flat.map(() => 1), [batch, source]);
    const out = await this.encoder.run({
      input_ids: int64Tensor(flat, [batch, source]), attention_mask: mask});
    const feeds = {attention_mask: mask};
    const {layers, heads, head_dim: headDim} = this.meta;
    for (let i = 0; i < layers; ++i) {
      for (const kind of ['k', 'v']) {
        feeds[`cross_${kind}_${i}`] = out[`cross_${kind}_${i}`];
        feeds[`past_${kind}_${i}`] = new ort.Tensor(
          'float32', new Float32Array(0), [batch, heads, 0, headDim]);
      }
    }
    return {batch, past: 0, feeds};
  }

  /// Feeds one token per row; returns the logits [batch, vocab] as one
  /// Float32Array and grows the cache.
  async next(state, tokens) {
    const {layers, pad} = this.meta;
    const feeds = state.feeds;
    feeds.input_ids = int64Tensor(tokens, [state.batch, 1]);
    feeds.positions = int64Tensor(tokens.map(() => pad + 1 + state.past),
                                  [state.batch, 1]);
    const out = await this.step.run(feeds);
    for (let i = 0; i < layers; ++i)
      for (const kind of ['k', 'v'])
        feeds[`past_${kind}_${i}`] = out[`present_${kind}_${i}`];
    state.past += 1;
    return out.logits.data;
  }
}

function argmaxRows(logits, batch, vocab) {
  const best = [];
  for (let r = 0; r < batch; ++r) {
    let at = 0;
    for (let j = 1; j < vocab; ++j)
      if (logits[r * vocab + j] > logits[r * vocab + at]) at = j;
    best.push(at);
  }
  return best;
}

/// Reproduces the reference's greedy decode in check.json; returns the
/// largest logit difference.
async function check(peer, dir) {
  const expected = JSON.parse(fs.readFileSync(path.join(dir, 'check.json')));
  const state = await peer.start([expected.input_ids]);
  let worst = 0;
  for (let step = 0; step < expected.logits.length; ++step) {
    const logits = await peer.next(state, [expected.tokens[step]]);
    expected.logits[step].forEach((value, j) => {
      worst = Math.max(worst, Math.abs(value - logits[j]));
    });
  }
  return worst;
}

/// Deterministic random sources shaped as Parley's and the reference's.
function randomSources(meta, batch, length, seed) {
  let x = seed >>> 0;
  const next = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
  const high = Math.max(meta.vocab - 300, 5);
  const rows = [];
  for (let r = 0; r < batch; ++r) {
    const row = [meta.vocab - 2];
    for (let j = 1; j < length - 1; ++j) row.push(4 + (next() % (high - 4)));
    row.push(meta.eos);
    rows.push(row);
  }
  return rows;
}

async function timedRun(peer, ids, newTokens) {
  const now = () => Number(process.hrtime.bigint()) / 1e9;
  const encodeStart = now();
  const state = await peer.start(ids);
  const encodeSeconds = now() - encodeStart;
  let tokens = ids.map(() => peer.meta.start);
  const steps = [];
  for (let step = 0; step < newTokens; ++step) {
    const start = now();
    const logits = await peer.next(state, tokens);
    tokens = step === 0 ? ids.map(() => peer.meta.vocab - 3)
                        : argmaxRows(logits, ids.length, peer.meta.vocab);
    steps.push(now() - start);
  }
  return {encodeSeconds, steps};
}

async function main() {
  const [dir, batches, sourceTokens, newTokens, threads] = process.argv.slice(2);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json')));
  const options = {intraOpNumThreads: Number(threads), interOpNumThreads: 1,
                   executionMode: 'sequential',
                   graphOptimizationLevel: 'all'};
  const peer = new Peer(
    await ort.InferenceSession.create(path.join(dir, 'encoder.onnx'), options),
    await ort.InferenceSession.create(path.join(dir, 'decoder_step.onnx'),
                                      options),
    meta);
  const worst = await check(peer, dir);
  if (!(worst <= checkTolerance)) {
    console.error(`the ONNX graphs differ from the reference by ${worst}`);
    process.exit(1);
  }
  for (const batch of batches.split(',').map(Number)) {
    const ids = randomSources(meta, batch, Number(sourceTokens), batch);
    await timedRun(peer, ids, Math.min(Number(newTokens), 4)); // warm-up
    const start = process.hrtime.bigint();
    const run = await timedRun(peer, ids, Number(newTokens));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const sorted = [...run.steps].sort((a, b) => a - b);
    console.log(JSON.stringify({
      batch, tokens: batch * Number(newTokens), seconds,
      encode_seconds: run.encodeSeconds,
      step_seconds: sorted[Math.floor(sorted.length / 2)],
      max_logit_diff: worst, version: ort.env.versions.common}));
  }
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});

#!/usr/bin/env node
// The ONNX Runtime peer of `parley bench speech`: the graphs
// tools/ort_peer/export_whisper.py wrote, timed as tools/whisper_reference.py
// is timed: the recording's first 30 s window (padded as Whisper pads it),
// log-mel, encoder, then greedy tokens after the prompt with no stop at
// end-of-text. It first reproduces the reference's own log-mel, tokens and
// logits (check.json) and refuses to time graphs that do not.
// Prints one JSON line: the median seconds over ROUNDS after a warm-up.
//
// usage: bench_whisper_ort.js ONNX_DIR WAV NEW_TOKENS THREADS ROUNDS
//        (ROUNDS 0: the check alone)
'use strict';

const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

/// Largest |ONNX - reference| logit accepted: the same float32 math, with
/// sums in another order.
const logitTolerance = 1e-3;
/// Largest |ONNX - reference| log-mel value accepted: the STFT is a matrix
/// product here and an FFT in the reference; (log10 + 4) / 4 scales the
/// rounding of the smallest powers up.
const melTolerance = 2e-3;
const sampleRate = 16000;
const windowSeconds = 30;

function int64Tensor(values, dims) {
  return new ort.Tensor('int64', BigInt64Array.from(values, BigInt), dims);
}

class Peer {
  constructor(mel, encoder, step, meta) {
    Object.assign(this, {mel, encoder, step, meta});
  }

  /// Log-mel of one waveform (Float32Array); returns the tensor.
  async logMel(samples) {
    const out = await this.mel.run(
      {waveform: new ort.Tensor('float32', samples, [1, samples.length])});
    return out.log_mel;
  }

  /// Encodes a log-mel; returns the decoding state.
  async start(logMel) {
    const out = await this.encoder.run({log_mel: logMel});
    const feeds = {};
    const {layers, heads, head_dim: headDim} = this.meta;
    for (let i = 0; i < layers; ++i) {
      for (const kind of ['k', 'v']) {
        feeds[`cross_${kind}_${i}`] = out[`cross_${kind}_${i}`];
        feeds[`past_${kind}_${i}`] = new ort.Tensor(
          'float32', new Float32Array(0), [1, heads, 0, headDim]);
      }
    }
    return {past: 0, feeds};
  }

  /// Feeds `tokens` (the prompt, or one token) after the cache, causally;
  /// returns the last position's logits and grows the cache.
  async next(state, tokens) {
    const t = tokens.length;
    const total = state.past + t;
    const mask = new Float32Array(t * total);
    for (let q = 0; q < t; ++q)
      for (let k = state.past + q + 1; k < total; ++k)
        mask[q * total + k] = -3.4028234663852886e38; // float32 lowest
    const feeds = state.feeds;
    feeds.input_ids = int64Tensor(tokens, [1, t]);
    feeds.positions = int64Tensor(tokens.map((_, i) => state.past + i), [t]);
    feeds.mask = new ort.Tensor('float32', mask, [1, 1, t, total]);
    const out = await this.step.run(feeds);
    for (let i = 0; i < this.meta.layers; ++i)
      for (const kind of ['k', 'v'])
        feeds[`past_${kind}_${i}`] = out[`present_${kind}_${i}`];
    state.past = total;
    return out.logits.data;
  }
}

function argmax(values) {
  let at = 0;
  for (let j = 1; j < values.length; ++j)
    if (values[j] > values[at]) at = j;
  return at;
}

function maxDifference(expected, actual) {
  let worst = 0;
  expected.forEach((value, j) => {
    worst = Math.max(worst, Math.abs(value - actual[j]));
  });
  return worst;
}

/// Reproduces the reference's log-mel and greedy decode in check.json;
/// returns the largest differences and whether the tokens matched.
async function check(peer, dir) {
  const expected = JSON.parse(fs.readFileSync(path.join(dir, 'check.json')));
  const bytes = Buffer.from(expected.waveform_float32_base64, 'base64');
  const samples = new Float32Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  const logMel = await peer.logMel(samples);
  const melDiff = maxDifference(expected.log_mel, logMel.data);
  const state = await peer.start(logMel);
  const tokens = [...expected.prompt];
  let logits = await peer.next(state, tokens);
  let logitDiff = 0;
  for (let step = 0; step < expected.logits.length; ++step) {
    logitDiff = Math.max(logitDiff, maxDifference(expected.logits[step], logits));
    tokens.push(argmax(logits));
    logits = await peer.next(state, [tokens[tokens.length - 1]]);
  }
  const sameTokens = tokens.join() === expected.tokens.join();
  return {melDiff, logitDiff, sameTokens};
}

/// The first 30 s of a 16 kHz mono 16-bit WAV, zero-padded to 30 s.
function readWindow(file) {
  const bytes = fs.readFileSync(file);
  let at = 12;
  let format = null;
  while (at + 8 <= bytes.length) {
    const id = bytes.toString('ascii', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    if (id === 'fmt ') {
      format = {channels: bytes.readUInt16LE(at + 10),
                rate: bytes.readUInt32LE(at + 12),
                bits: bytes.readUInt16LE(at + 22)};
    } else if (id === 'data') {
      if (!format || format.channels !== 1 || format.rate !== sampleRate ||
          format.bits !== 16)
        throw new Error(`${file}: expected 16 kHz mono 16-bit`);
      const window = new Float32Array(sampleRate * windowSeconds);
      const count = Math.min(window.length, Math.floor(size / 2));
      for (let i = 0; i < count; ++i)
        window[i] = bytes.readInt16LE(at + 8 + 2 * i) / 32768;
      return window;
    }
    at += 8 + size + (size & 1);
  }
  throw new Error(`${file}: no data chunk`);
}

/// One window as the reference transcribes it: log-mel, encoder, the
/// prompt, then `newTokens` greedy tokens.
async function transcribe(peer, samples, newTokens) {
  const state = await peer.start(await peer.logMel(samples));
  let logits = await peer.next(state, peer.meta.prompt);
  for (let i = 1; i < newTokens; ++i)
    logits = await peer.next(state, [argmax(logits)]);
  return argmax(logits);
}

async function main() {
  const [dir, wav, newTokens, threads, rounds] = process.argv.slice(2);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json')));
  const options = {intraOpNumThreads: Number(threads), interOpNumThreads: 1,
                   executionMode: 'sequential',
                   graphOptimizationLevel: 'all'};
  const open = (name) =>
    ort.InferenceSession.create(path.join(dir, name), options);
  const peer = new Peer(await open('mel.onnx'), await open('encoder.onnx'),
                        await open('decoder_step.onnx'), meta);
  const {melDiff, logitDiff, sameTokens} = await check(peer, dir);
  if (!(logitDiff <= logitTolerance && melDiff <= melTolerance && sameTokens)) {
    console.error(`the ONNX graphs differ from the reference: logits by ` +
                  `${logitDiff}, log-mel by ${melDiff}, ` +
                  `tokens ${sameTokens ? 'equal' : 'differ'}`);
    process.exit(1);
  }
  const samples = readWindow(wav);
  const times = [];
  for (let round = 0; Number(rounds) > 0 && round <= Number(rounds); ++round) {
    const start = process.hrtime.bigint();
    await transcribe(peer, samples, Number(newTokens));
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  const timed = times.slice(1).sort((a, b) => a - b); // the first: warm-up
  const middle = Math.floor(timed.length / 2);
  const median = timed.length === 0 ? null
    : timed.length % 2 ? timed[middle]
                       : (timed[middle - 1] + timed[middle]) / 2;
  console.log(JSON.stringify({
    seconds: median, window_seconds: windowSeconds,
    new_tokens: Number(newTokens), max_logit_diff: logitDiff,
    max_log_mel_diff: melDiff, version: ort.env.versions.common}));
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});

// The official OpenAI and DeepL Node clients against a real parleyd on the
// embedded defaults (Apertium, PocketSphinx, espeak-ng), as a user points
// them: baseURL http://HOST:PORT/v1 and serverUrl http://HOST:PORT.
//
// Usage: node sdk_clients.cjs PARLEYD FIXTURES_DIR
// The packages come from `npm ci` in the folder NODE_PATH names.

'use strict';

const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const OpenAI = require('openai');
const deepl = require('deepl-node');

const [parleyd, fixtures] = process.argv.slice(2);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Starts parleyd and resolves once it logs that it is ready.
async function startServer() {
  const [pull, pub, http] = [await freePort(), await freePort(), await freePort()];
  const child = spawn(parleyd, ['--pull-port', String(pull), '--pub-port', String(pub),
                                '--http-port', String(http)],
                      { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  await new Promise((resolve, reject) => {
    const watch = (chunk) => {
      log += chunk;
      if (log.includes('parleyd: ready')) resolve();
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    child.on('exit', (code) => reject(new Error(`parleyd exited (${code}):\n${log}`)));
  });
  return { child, port: http };
}

function stopServer(child) {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.kill('SIGTERM');
  });
}

const checks = [];
function check(name, body) {
  checks.push({ name, body });
}

check('OpenAI: models.list names the configured models and the aliases', async ({ openai }) => {
  const ids = [];
  for await (const model of openai.models.list()) ids.push(model.id);
  for (const alias of ['whisper-1', 'tts-1', 'gpt-4o-mini-transcribe'])
    assert.ok(ids.includes(alias), `${alias} in ${ids}`);
});

check('OpenAI: a transcription as json and verbose_json', async ({ openai }) => {
  const wav = path.join(fixtures, 'audio', 'jfk.wav');
  const plain = await openai.audio.transcriptions.create({
    file: fs.createReadStream(wav), model: 'whisper-1' });
  assert.match(plain.text.toLowerCase(), /country/);
  const verbose = await openai.audio.transcriptions.create({
    file: fs.createReadStream(wav), model: 'whisper-1', response_format: 'verbose_json' });
  assert.equal(verbose.language, 'english');
  assert.ok(verbose.duration > 10 && verbose.duration < 12, `duration ${verbose.duration}`);
  assert.ok(verbose.segments.length > 0);
  for (const segment of verbose.segments) assert.ok(segment.end >= segment.start);
});

check('OpenAI: a translation into Spanish through target_language', async ({ openai }) => {
  const wav = path.join(fixtures, 'audio', 'jfk.wav');
  const english = await openai.audio.translations.create({
    file: fs.createReadStream(wav), model: 'whisper-1' });
  assert.match(english.text.toLowerCase(), /country/);
  const spanish = await openai.audio.translations.create({
    file: fs.createReadStream(wav), model: 'whisper-1', target_language: 'es' });
  assert.match(spanish.text.toLowerCase(), /país/);
});

check('OpenAI: speech as mp3 and wav', async ({ openai }) => {
  const mp3 = Buffer.from(await (await openai.audio.speech.create({
    model: 'tts-1', voice: 'alloy', input: 'The cat is black.' })).arrayBuffer());
  const id3 = mp3.subarray(0, 3).toString('latin1') === 'ID3';
  const sync = mp3[0] === 0xff && (mp3[1] & 0xe0) === 0xe0;
  assert.ok(mp3.length > 1000 && (id3 || sync), `an mp3 of ${mp3.length} bytes`);
  const wav = Buffer.from(await (await openai.audio.speech.create({
    model: 'tts-1', voice: 'nova', input: 'Hello.', response_format: 'wav' })).arrayBuffer());
  assert.equal(wav.subarray(0, 4).toString('latin1'), 'RIFF');
  assert.equal(wav.subarray(8, 12).toString('latin1'), 'WAVE');
});

check('OpenAI: a file that is not audio is a 400 BadRequestError', async ({ openai }) => {
  await assert.rejects(
    openai.audio.transcriptions.create({
      file: await OpenAI.toFile(Buffer.from('not audio at all'), 'notes.wav'),
      model: 'whisper-1' }),
    (err) => err instanceof OpenAI.BadRequestError && err.status === 400);
});

check('DeepL: translateText, one text and a list, with html tags', async ({ translator }) => {
  const one = await translator.translateText('The cat is black.', null, 'es');
  assert.match(one.text.toLowerCase(), /gato/);
  assert.equal(one.detectedSourceLang, 'en');
  const many = await translator.translateText(
    ['The house is red.', 'The dog is big.'], 'en', 'es');
  assert.equal(many.length, 2);
  assert.match(many[0].text.toLowerCase(), /casa/);
  assert.match(many[1].text.toLowerCase(), /perro/);
  const html = await translator.translateText(
    '<p>The <b class="x">cat</b> is black.</p>', 'en', 'es', { tagHandling: 'html' });
  assert.ok(html.text.startsWith('<p>') && html.text.endsWith('</p>'), html.text);
  assert.ok(html.text.includes('<b class="x">') && html.text.includes('</b>'), html.text);
});

check('DeepL: regional targets, languages and usage', async ({ translator }) => {
  const us = await translator.translateText('El gato es negro.', 'es', 'en-US');
  assert.match(us.text.toLowerCase(), /cat/);
  const sources = await translator.getSourceLanguages();
  assert.ok(sources.some((language) => language.code === 'en'));
  const targets = await translator.getTargetLanguages();
  assert.ok(targets.some((language) => language.code === 'en-US'));
  const usage = await translator.getUsage();
  assert.ok(usage.character && usage.character.count > 0);
});

check('DeepL: an unsupported target is a DeepLError', async ({ translator }) => {
  await assert.rejects(translator.translateText('Hello.', 'en', 'xx'),
                       (err) => err instanceof deepl.DeepLError);
});

async function main() {
  const { child, port } = await startServer();
  const openai = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'sk-any', maxRetries: 0 });
  const translator = new deepl.Translator('any-key:fx', {
    serverUrl: `http://127.0.0.1:${port}`, maxRetries: 0 });
  let failed = 0;
  try {
    for (const { name, body } of checks) {
      try {
        await body({ openai, translator });
        console.log(`ok   ${name}`);
      } catch (err) {
        failed += 1;
        console.log(`FAIL ${name}\n     ${err && err.stack || err}`);
      }
    }
  } finally {
    const exit = await stopServer(child);
    // A drained shutdown exits 0; anything else lost work or crashed.
    if (exit.code !== 0) {
      failed += 1;
      console.log(`FAIL parleyd exited with ${exit.code ?? exit.signal} on SIGTERM`);
    }
  }
  console.log(`${checks.length - failed} of ${checks.length} checks passed on Node ${process.version}`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

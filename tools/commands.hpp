#pragma once

// The commands of `parley`. Each `add_*` declares one on its parent (`parley`
// or `parley bench`): its description, its options and what it runs.

namespace CLI {
class App;
} // namespace CLI

namespace parley {

/// `parley translate`: translates in-process and prints the result.
void add_translate_command(CLI::App& parley);

/// `parley detect TEXT`: the source language "auto" would detect.
void add_detect_command(CLI::App& parley);

/// `parley bench detect`: detection speed, and what `auto` adds to the
/// cached path.
void add_bench_detect_command(CLI::App& bench);

/// `parley bench cache`: measures the cache-hit path.
void add_bench_cache_command(CLI::App& bench);

/// `parley transcribe FILE`: speech to text with segments.
void add_transcribe_command(CLI::App& parley);

/// `parley speak --lang L TEXT -o FILE`: text to speech.
void add_speak_command(CLI::App& parley);

/// `parley audio FILE --to L,...`: the whole spoken-message pipeline.
void add_audio_command(CLI::App& parley);

/// `parley golden DIR`: checks a checkpoint against its recorded outputs.
void add_golden_command(CLI::App& parley);

/// `parley bench model`: NLLB decoding speed against the PyTorch reference.
void add_bench_model_command(CLI::App& bench);

/// `parley bench speech`: real-time factors and text latency under audio.
void add_bench_speech_command(CLI::App& bench);

/// `parley bench pool`: batching on against off, 1 to 64 clients.
void add_bench_pool_command(CLI::App& bench);

/// `parley bench zmq`: a load generator for the gateway protocol.
void add_bench_zmq_command(CLI::App& bench);

/// `parley bench http`: LibreTranslate's API beside ZMQ (bench_http.cpp).
void add_bench_http_command(CLI::App& bench);

/// `parley bench cluster`: the cost of a remote batch, scaling over
/// workers, and the time to fail over after kill -9.
void add_bench_cluster_command(CLI::App& bench);

/// `parley cluster status`: a front's nodes, pools and replicas per node.
void add_cluster_command(CLI::App& parley);

/// `parley kinds`: the configuration reference of every model kind.
void add_kinds_command(CLI::App& parley);

/// `parley make-checkpoint`: writes a random checkpoint of a real shape.
void add_make_checkpoint_command(CLI::App& parley);

} // namespace parley

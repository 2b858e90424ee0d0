#pragma once

namespace parley {

/// `parley translate`: translates in-process and prints the result.
int run_translate(int argc, char** argv);

/// `parley detect TEXT`: the source language "auto" would detect.
int run_detect(int argc, char** argv);

/// `parley bench detect`: detection speed, and what `auto` adds to the
/// cached path.
int run_bench_detect(int argc, char** argv);

/// `parley bench cache`: measures the cache-hit path.
int run_bench_cache(int argc, char** argv);

/// `parley transcribe FILE`: speech to text with segments.
int run_transcribe(int argc, char** argv);

/// `parley speak --lang L TEXT -o FILE`: text to speech.
int run_speak(int argc, char** argv);

/// `parley audio FILE --to L,...`: the whole spoken-message pipeline.
int run_audio_pipeline(int argc, char** argv);

/// `parley golden DIR`: checks a checkpoint against its recorded outputs.
int run_golden_check(int argc, char** argv);

/// `parley bench model`: NLLB decoding speed against the PyTorch reference.
int run_bench_model(int argc, char** argv);

/// `parley bench speech`: real-time factors and text latency under audio.
int run_bench_speech(int argc, char** argv);

/// `parley bench zmq`: a load generator for the gateway protocol.
int run_bench_zmq(int argc, char** argv);

/// `parley bench cluster`: the cost of a remote batch, scaling over
/// workers, and the time to fail over after kill -9.
int run_bench_cluster(int argc, char** argv);

/// `parley cluster status`: a front's nodes, pools and replicas per node.
int run_cluster(int argc, char** argv);

/// `parley kinds`: the configuration reference of every model kind.
int run_kinds(int argc, char** argv);

/// `parley make-checkpoint`: writes a random checkpoint of a real shape.
int run_make_checkpoint(int argc, char** argv);

} // namespace parley

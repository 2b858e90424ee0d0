#pragma once

namespace parley {

/// `parley translate`: translates in-process and prints the result.
int run_translate(int argc, char** argv);

/// `parley bench cache`: measures the cache-hit path.
int run_bench_cache(int argc, char** argv);

/// `parley golden DIR`: checks a checkpoint against its recorded outputs.
int run_golden_check(int argc, char** argv);

/// `parley bench model`: NLLB decoding speed against the PyTorch reference.
int run_bench_model(int argc, char** argv);

/// `parley bench zmq`: a load generator for the gateway protocol.
int run_bench_zmq(int argc, char** argv);

/// `parley make-checkpoint`: writes a random checkpoint of a real shape.
int run_make_checkpoint(int argc, char** argv);

} // namespace parley

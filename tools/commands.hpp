#pragma once

namespace parley {

/// `parley translate`: translates in-process and prints the result.
int run_translate(int argc, char** argv);

/// `parley bench cache`: measures the cache-hit path.
int run_bench_cache(int argc, char** argv);

/// `parley bench zmq`: a load generator for the gateway protocol.
int run_bench_zmq(int argc, char** argv);

} // namespace parley

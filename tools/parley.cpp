// The parley command-line tool: one subcommand per job.

#include <cstring>
#include <iostream>
#include <string>

#include "tools/commands.hpp"
#include "tools/openmp_env.hpp"

namespace {

constexpr const char* usage = R"(usage: parley COMMAND [OPTIONS]

commands:
  translate --from LANG|auto --to LANG [--to LANG ...] [TEXT...]
            translate TEXT (or standard input) in-process; with --from auto
            the source language is detected and named on standard error
            options: --model NAME|DIR (a configured model, or a checkpoint
                     directory of a translation kind, such as NLLB)
                     --compute-type TYPE (with a checkpoint: auto, float32,
                     bfloat16, int8, int8_bfloat16)  --hint LANG (for auto)
                     --config FILE  --set KEY=VALUE  --log-level LEVEL
  detect [--hint LANG ...] [--json] [--config FILE] [--set KEY=VALUE] [TEXT...]
            print the language "auto" would detect for TEXT (or standard
            input), and how it was decided; exit status 1 when undetermined
  transcribe FILE [--language LANG] [--whisper DIR [--compute-type TYPE]]
            print the text of a recording with its segments (PocketSphinx,
            or the Whisper checkpoint in DIR)
  speak --lang LANG TEXT... -o FILE [--format wav|opus|mp3]
            synthesize speech with espeak-ng
  audio FILE --to LANG[,LANG...] [--out DIR] [--format wav|opus|mp3]
        [--whisper DIR [--compute-type TYPE]]
            transcribe, translate and speak: one audio file per language
  golden DIR [--compute-type float32|bfloat16|int8|int8_bfloat16]
            check a checkpoint against DIR/expected.json and
            DIR/expected.safetensors in every compute type this CPU runs
            fast (or the one named); exit status 1 on FAIL
  bench detect [--seconds S] [--requests N] [--rounds N]
            detections per second on short, medium and long messages, and
            p50/p99 of the cached path with and without sourceLanguage auto
  bench cache [--requests N] [--concurrency N] [--languages N] [--rounds N]
              [--threads N] [--scheduler sharing|stealing] [--redis URL]
            time the in-process cache-hit path; with --redis, the local-hit,
            Redis-hit and miss paths with and without Redis, side by side
  bench model --checkpoint DIR [--batches 1,16] [--new-tokens N]
              [--source-tokens N] [--threads N] [--no-reference]
              [--onnx DIR] [--compute-types float32,int8,...]
            NLLB decoding speed: Parley in every compute type this CPU runs
            fast beside ONNX Runtime (--onnx: graphs from
            tools/ort_peer/export_m2m100.py) and the PyTorch reference, and
            the weight read rate against copy bandwidth
  bench speech [--whisper DIR ...] [--decode-tokens N] [--rounds N]
              [--no-reference] [--mel-filters NPZ] [--no-load]
              [--seconds S] [--interval-ms MS] [--audio-jobs N]
              [--load-whisper DIR] [--audio-targets es,fr] [--threads N]
            real-time factor of each recognizer (Whisper in every compute
            type this CPU runs fast, beside tools/whisper_reference.py);
            text latency alone and while audio_process jobs saturate the
            machine (skipped with --no-load)
  bench zmq [--requests N] [--concurrency N] [--languages N] [--rounds N]
            [--cached FRACTION] [--server-config FILE] [--server-set K=V]
            [--connect HOST --pull-port P --pub-port Q] [--parleyd PATH]
            [--peer python]
            load-test a server over the gateway protocol; without --connect
            it starts its own parleyd (the one beside parley, or PATH);
            --peer python also measures tools/peer_translator.py, a Python
            asyncio model of the old service, under the same load and
            prints the ratios
  cluster status [--http HOST:PORT] [--json]
            a front's nodes, and each model's queue, in-flight jobs and
            replicas per node (GET /cluster; default 127.0.0.1:8000)
  bench cluster [--batch-ms MS] [--max-batch N] [--jobs N] [--concurrency N]
                [--round-trips N] [--csv FILE]
            this process as a front with parleyd workers on loopback: the
            cost of a batch on a worker against one in-process (also for a
            30 s audio window's 1.92 MB), throughput with 1 and 2 workers
            for a model whose batch is a fixed wait, and the time to answer
            a killed worker's jobs elsewhere
  kinds     print the model kinds and the option keys of each (Markdown,
            as in docs/models.md)
  make-checkpoint --shape SHAPE --out DIR [--seed N]
                  [--dtype f32|f16] [--spm FILE]
            write a random checkpoint with the real model's dimensions and
            tensor names (config.json, model.safetensors), for benchmarks;
            SHAPE is one a model kind declares (nllb-600m, nllb-1.3b, tiny,
            whisper-tiny, whisper-base; the usage lists them all)
)";

} // namespace

int main(int argc, char** argv) {
  parley::ensure_passive_openmp(argv);
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0
      || std::strcmp(argv[1], "-h") == 0) {
    std::cout << usage;
    return argc < 2 ? 2 : 0;
  }
  std::string command = argv[1];
  if (command == "translate")
    return parley::run_translate(argc, argv);
  if (command == "transcribe")
    return parley::run_transcribe(argc, argv);
  if (command == "speak")
    return parley::run_speak(argc, argv);
  if (command == "audio")
    return parley::run_audio_pipeline(argc, argv);
  if (command == "golden")
    return parley::run_golden_check(argc, argv);
  if (command == "detect")
    return parley::run_detect(argc, argv);
  if (command == "bench" && argc >= 3 && std::strcmp(argv[2], "detect") == 0)
    return parley::run_bench_detect(argc, argv);
  if (command == "bench" && argc >= 3 && std::strcmp(argv[2], "cache") == 0)
    return parley::run_bench_cache(argc, argv);
  if (command == "bench" && argc >= 3 && std::strcmp(argv[2], "zmq") == 0)
    return parley::run_bench_zmq(argc, argv);
  if (command == "bench" && argc >= 3 && std::strcmp(argv[2], "model") == 0)
    return parley::run_bench_model(argc, argv);
  if (command == "bench" && argc >= 3 && std::strcmp(argv[2], "speech") == 0)
    return parley::run_bench_speech(argc, argv);
  if (command == "bench" && argc >= 3 && std::strcmp(argv[2], "cluster") == 0)
    return parley::run_bench_cluster(argc, argv);
  if (command == "cluster")
    return parley::run_cluster(argc, argv);
  if (command == "make-checkpoint")
    return parley::run_make_checkpoint(argc, argv);
  if (command == "kinds")
    return parley::run_kinds(argc, argv);
  std::cerr << "parley: unknown command '" << command << "'\n" << usage;
  return 2;
}

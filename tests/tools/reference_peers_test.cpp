// The benchmark peers reproduce the reference math before anything is timed:
// the plain-PyTorch Whisper against the fixture, and the ONNX export of an
// NLLB checkpoint and of a Whisper one, run by ONNX Runtime, against
// m2m100_reference.py and whisper_reference.py.

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "tests/support/process.hpp"

using namespace parley::test;

namespace {

const std::string source_dir = std::string{PARLEY_TESTS_DIR} + "/..";
const std::string fixtures_dir = PARLEY_FIXTURES_DIR;

} // namespace

TEST_CASE("the plain-PyTorch Whisper reference reproduces the fixture",
          "[tools]") {
  auto result = run_command({"/usr/bin/python3",
                             source_dir + "/tools/whisper_reference.py",
                             "check", fixtures_dir + "/whisper-tiny"});
  INFO(result.out << result.err);
  REQUIRE(result.exit_status == 0);
  auto diffs = nlohmann::json::parse(result.out);
  CHECK(diffs["greedy_ids_differ"] == 0);
  CHECK(diffs["encoder_out"].get<double>() <= 1e-4);
  CHECK(diffs["teacher_forced_logits"].get<double>() <= 1e-4);
}

TEST_CASE("the ONNX Runtime peer reproduces the reference's logits",
          "[tools]") {
  auto peer_dir = source_dir + "/tools/ort_peer";
  if (!std::filesystem::exists(peer_dir + "/node_modules/onnxruntime-node")) {
    WARN("SKIPPED: onnxruntime-node is not installed (tools/ort_peer/install)");
    return;
  }
  auto out = std::filesystem::temp_directory_path()
             / ("parley_onnx_" + std::to_string(getpid()));
  auto exported =
      run_command({"/usr/bin/python3", peer_dir + "/export_m2m100.py",
                   fixtures_dir + "/../reference/m2m100_reference.py",
                   fixtures_dir + "/nllb-tiny", out.string()});
  INFO(exported.out << exported.err);
  REQUIRE(exported.exit_status == 0);
  auto timed = run_command({"/usr/bin/env", "node", peer_dir + "/bench_ort.js",
                            out.string(), "2", "8", "4", "1"});
  INFO(timed.out << timed.err);
  REQUIRE(timed.exit_status == 0);
  auto line = nlohmann::json::parse(timed.out);
  CHECK(line["batch"] == 2);
  CHECK(line["tokens"] == 8);
  CHECK(line["max_logit_diff"].get<double>() <= 1e-4);
  std::filesystem::remove_all(out);
}

TEST_CASE("the ONNX Runtime Whisper peer reproduces the reference's logits",
          "[tools]") {
  auto peer_dir = source_dir + "/tools/ort_peer";
  if (!std::filesystem::exists(peer_dir + "/node_modules/onnxruntime-node")) {
    WARN("SKIPPED: onnxruntime-node is not installed (tools/ort_peer/install)");
    return;
  }
  auto out = std::filesystem::temp_directory_path()
             / ("parley_whisper_onnx_" + std::to_string(getpid()));
  auto exported =
      run_command({"/usr/bin/python3", peer_dir + "/export_whisper.py",
                   fixtures_dir + "/whisper-tiny", out.string()});
  INFO(exported.out << exported.err);
  REQUIRE(exported.exit_status == 0);
  // Rounds 0: the check alone (the fixture's encoder takes 64 frames, not a
  // 30 s window).
  auto checked = run_command({"/usr/bin/env", "node",
                              peer_dir + "/bench_whisper_ort.js", out.string(),
                              fixtures_dir + "/audio/jfk.wav", "4", "1", "0"});
  INFO(checked.out << checked.err);
  REQUIRE(checked.exit_status == 0);
  auto line = nlohmann::json::parse(checked.out);
  CHECK(line["max_logit_diff"].get<double>() <= 1e-4);
  CHECK(line["max_log_mel_diff"].get<double>() <= 1e-4);
  std::filesystem::remove_all(out);
}

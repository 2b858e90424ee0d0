// The log-mel front end against the fixture's reference filter bank and
// features.

#include "tests/support/torch_catch.hpp"

#include <memory>
#include <string>
#include <vector>

#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#include "models/checkpoint/safetensors.hpp"
#include "models/torch_tensors.hpp"
#include "models/whisper/mel.hpp"
#include "tools/subprocess.hpp"

using namespace parley;

namespace {

const std::string fixture_dir =
    std::string{PARLEY_FIXTURES_DIR} + "/whisper-tiny";

/// The reference filter bank, read from mel_filters.npz by numpy.
std::vector<float> reference_filters(const std::string& key,
                                     std::vector<int64_t>& shape) {
  auto result = run_command({"/usr/bin/python3", "-c",
                             "import json, sys, numpy\n"
                             "m = numpy.load(sys.argv[1])[sys.argv[2]]\n"
                             "print(json.dumps({'shape': list(m.shape), "
                             "'values': [float(v) for v in m.flatten()]}))\n",
                             fixture_dir + "/mel_filters.npz", key});
  INFO(result.err);
  REQUIRE(result.exit_status == 0);
  auto doc = nlohmann::json::parse(result.out);
  shape = doc["shape"].get<std::vector<int64_t>>();
  return doc["values"].get<std::vector<float>>();
}

at::Tensor expected(const std::string& name) {
  auto file = std::make_shared<const safetensors_file>(
      fixture_dir + "/expected.safetensors");
  return to_torch(*file->find(name), file).clone();
}

} // namespace

TEST_CASE("the Slaney mel filter bank equals the reference mel_80 within 1e-6",
          "[models]") {
  std::vector<int64_t> shape;
  auto reference = reference_filters("mel_80", shape);
  REQUIRE(shape == std::vector<int64_t>{80, 201});
  auto filters = whisper::mel_filters(80);
  REQUIRE(filters.size() == reference.size());
  double worst = 0;
  for (size_t i = 0; i < filters.size(); ++i)
    worst = std::max(worst, std::abs(double{filters[i]} - reference[i]));
  CHECK(worst <= 1e-6);
}

TEST_CASE("the 128-bin filter bank of large-v3 also equals the reference",
          "[models]") {
  std::vector<int64_t> shape;
  auto reference = reference_filters("mel_128", shape);
  REQUIRE(shape == std::vector<int64_t>{128, 201});
  auto filters = whisper::mel_filters(128);
  REQUIRE(filters.size() == reference.size());
  double worst = 0;
  for (size_t i = 0; i < filters.size(); ++i)
    worst = std::max(worst, std::abs(double{filters[i]} - reference[i]));
  CHECK(worst <= 1e-6);
}

TEST_CASE("the log-mel spectrogram of the fixture waveform matches the "
          "reference within 2e-3",
          "[models]") {
  c10::InferenceMode inference;
  auto waveform = expected("waveform");
  auto reference = expected("log_mel");
  auto features = whisper::log_mel_spectrogram(waveform, 80);
  // one frame per 160 samples, the centred STFT's last frame dropped
  REQUIRE(features.sizes() == reference.sizes());
  CHECK(features.size(1) == waveform.size(0) / whisper::mel_hop_length);
  CHECK((features - reference).abs().max().item<double>() <= 2e-3);
}

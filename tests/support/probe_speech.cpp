#include "tests/support/probe_speech.hpp"

#include <cmath>
#include <map>

#include "io/media/audio_encoder.hpp"
#include "models/speech_backend.hpp"
#include "tests/support/runtime_fixture.hpp"

namespace parley::test {

namespace {

std::mutex probes_mtx;
std::map<std::string, std::shared_ptr<speech_probe>> probes;

std::shared_ptr<speech_probe> find(const backend_options& options) {
  std::lock_guard<std::mutex> guard{probes_mtx};
  return probes.at(options.get_string("probe", ""));
}

class probe_recognizer final : public transcription_backend {
public:
  explicit probe_recognizer(std::shared_ptr<speech_probe> probe)
      : probe_(std::move(probe)) {
  }

  transcription transcribe(const audio_window& window) override {
    probe_->record_window(window.offset_ms);
    probe_->pass_gate();
    auto duration = static_cast<uint32_t>(window.samples.size() / 16);
    transcription result;
    result.text = probe_->text;
    result.language =
        window.language.empty() ? probe_->language : window.language;
    result.confidence = 0.5f;
    result.segments.push_back(
        {probe_->text, window.offset_ms, window.offset_ms + duration, 0.5f});
    return result;
  }

  double window_seconds() const override {
    return 30;
  }

  std::vector<std::string> languages() const override {
    return {probe_->language};
  }

private:
  std::shared_ptr<speech_probe> probe_;
};

class probe_synthesizer final : public synthesis_backend {
public:
  explicit probe_synthesizer(std::shared_ptr<speech_probe> probe)
      : probe_(std::move(probe)) {
  }

  synthesis synthesize(const std::string& text, const std::string& language,
                       float) override {
    if (probe_->refused.count(language) > 0)
      throw unsupported_language("probe_tts has no voice for " + language);
    ++probe_->spoken;
    synthesis result;
    result.language = language;
    result.sample_rate = 16000;
    for (int i = 0; i < 1600; ++i)
      result.samples.push_back(
          static_cast<int16_t>(8000 * std::sin(2 * M_PI * 440 * i / 16000.0)));
    return result;
  }

  std::vector<std::string> languages() const override {
    return {};
  }

private:
  std::shared_ptr<speech_probe> probe_;
};

std::unique_ptr<transcription_backend>
make_probe_recognizer(const backend_options& options) {
  return std::make_unique<probe_recognizer>(find(options));
}

std::unique_ptr<synthesis_backend>
make_probe_synthesizer(const backend_options& options) {
  return std::make_unique<probe_synthesizer>(find(options));
}

} // namespace

std::vector<uint32_t> speech_probe::window_offsets() const {
  std::lock_guard<std::mutex> guard{windows_mtx_};
  return offsets_;
}

void speech_probe::record_window(uint32_t offset_ms) {
  std::lock_guard<std::mutex> guard{windows_mtx_};
  offsets_.push_back(offset_ms);
}

std::pair<std::string, std::shared_ptr<speech_probe>> make_speech_probe() {
  static std::atomic<int> counter{0};
  auto name = "speech-probe-" + std::to_string(++counter);
  auto probe = std::make_shared<speech_probe>();
  std::lock_guard<std::mutex> guard{probes_mtx};
  probes.emplace(name, probe);
  return {name, probe};
}

void open_all_speech_gates() {
  std::lock_guard<std::mutex> guard{probes_mtx};
  for (auto& [name, probe] : probes)
    probe->open_gate();
}

void add_speech_probes(backend_registry& registry) {
  auto asr = probe_kind("probe_asr", &make_probe_recognizer);
  registry.add(asr);
  auto tts = probe_kind("probe_tts", &make_probe_synthesizer);
  registry.add(tts);
}

runtime_config probe_audio_config(const std::string& text_probe,
                                  const std::string& speech_probe) {
  auto cfg = config_with({probe_model("text", text_probe)});
  model_config asr;
  asr.name = "asr";
  asr.kind = "probe_asr";
  asr.options.set("probe", speech_probe);
  model_config tts = asr;
  tts.name = "tts";
  tts.kind = "probe_tts";
  cfg.models.push_back(asr);
  cfg.models.push_back(tts);
  return cfg;
}

std::string tone_wav(double seconds) {
  std::vector<int16_t> samples(static_cast<size_t>(seconds * 16000));
  for (size_t i = 0; i < samples.size(); ++i)
    samples[i] = static_cast<int16_t>(2000 * std::sin(i * 0.1));
  return encode_audio(samples, 16000, "wav").bytes;
}

} // namespace parley::test

// The `espeak` synthesizer: Parley's embedded default for speech synthesis,
// on libespeak-ng. Formant synthesis: every installed language is
// intelligible but robotic; it costs milliseconds and no model download.
//
// Its options are declared in espeak_kind() at the end.
//
// espeak-ng is one engine per process: its voice, its parameters and its
// output callback are globals. The library is initialized once, and each call
// takes a process-wide lock, so two replicas on two threads cannot interleave
// voices or audio; a second replica would only wait for the first, so the
// kind takes one.

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <espeak-ng/speak_lib.h>

#include "models/model_kind.hpp"
#include "models/speech/espeak_voices.hpp"

namespace parley {

namespace {

constexpr int callback_buffer_ms = 500;

std::mutex engine_mutex;

// Hands each chunk to the buffer of the espeak_Synth call that produced it,
// passed as its user data, so no global output buffer is needed.
int collect_samples(short* wav, int sample_count, espeak_EVENT* events) {
  if (wav != nullptr && sample_count > 0 && events != nullptr
      && events->user_data != nullptr) {
    auto* buffer = static_cast<std::vector<int16_t>*>(events->user_data);
    buffer->insert(buffer->end(), wav, wav + sample_count);
  }
  return 0;
}

// Returns espeak's output sample rate, initializing the library on the first
// call. A failure leaves the flag unset, so a later load retries.
int engine_sample_rate() {
  static std::once_flag once;
  static int sample_rate = 0;
  std::call_once(once, [] {
    // DONT_EXIT: without it a missing espeak-ng-data directory exits the
    // whole server.
    int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, callback_buffer_ms,
                                 /*path=*/nullptr, espeakINITIALIZE_DONT_EXIT);
    if (rate <= 0)
      throw std::runtime_error("espeak synthesizer: cannot initialize "
                               "espeak-ng (is espeak-ng-data installed?)");
    espeak_SetSynthCallback(&collect_samples);
    sample_rate = rate;
  });
  return sample_rate;
}

std::vector<speech::voice_entry> installed_voices() {
  std::vector<speech::voice_entry> result;
  const espeak_VOICE** voices = espeak_ListVoices(nullptr);
  for (; voices != nullptr && *voices != nullptr; ++voices) {
    const espeak_VOICE& voice = **voices;
    if (voice.identifier == nullptr)
      continue;
    std::string identifier{voice.identifier};
    // MBROLA voices need the separate mbrola program and its databases.
    if (identifier.rfind("mb/", 0) == 0)
      continue;
    result.push_back(
        {identifier, speech::parse_voice_languages(voice.languages)});
  }
  return result;
}

class espeak_synthesizer final : public synthesis_backend {
public:
  espeak_synthesizer(int sample_rate, int rate_wpm,
                     const std::vector<speech::voice_entry>& voices)
      : sample_rate_(sample_rate), rate_wpm_(rate_wpm), voices_(voices) {
  }

  synthesis synthesize(const std::string& text, const std::string& language,
                       float speed) override {
    auto voice = voices_.voice_for(language);
    if (voice.empty())
      throw unsupported_language("espeak synthesizer: no voice for language '"
                                 + language + "'");
    synthesis result;
    result.language = language;
    result.sample_rate = static_cast<uint32_t>(sample_rate_);
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
      return result;
    std::lock_guard<std::mutex> guard{engine_mutex};
    // Voice and rate are process-wide, so another replica may have changed
    // them since this one last spoke.
    if (espeak_SetVoiceByName(voice.c_str()) != EE_OK)
      throw std::runtime_error("espeak synthesizer: cannot load voice '" + voice
                               + "'");
    auto rate = std::clamp(static_cast<int>(std::lround(rate_wpm_ * speed)),
                           espeakRATE_MINIMUM, espeakRATE_MAXIMUM);
    espeak_SetParameter(espeakRATE, rate, /*relative=*/0);
    // espeakCHARS_UTF8 without espeakSSML or espeakPHONEMES: the text is
    // spoken as written, markup included.
    auto status =
        espeak_Synth(text.c_str(), text.size() + 1, /*position=*/0,
                     POS_CHARACTER, /*end_position=*/0, espeakCHARS_UTF8,
                     /*unique_identifier=*/nullptr, &result.samples);
    if (status != EE_OK)
      throw std::runtime_error("espeak synthesizer: synthesis failed (error "
                               + std::to_string(status) + ")");
    return result;
  }

  std::vector<std::string> languages() const override {
    return voices_.iso_languages();
  }

private:
  int sample_rate_;
  int rate_wpm_;
  speech::voice_table voices_;
};

std::unique_ptr<synthesis_backend>
make_espeak_synthesizer(const backend_options& options) {
  auto rate_wpm = options.get_int("rate", espeakRATE_NORMAL);
  if (rate_wpm < espeakRATE_MINIMUM || rate_wpm > espeakRATE_MAXIMUM)
    throw std::runtime_error("espeak synthesizer: option rate must be between "
                             + std::to_string(espeakRATE_MINIMUM) + " and "
                             + std::to_string(espeakRATE_MAXIMUM)
                             + " words per minute");
  std::lock_guard<std::mutex> guard{engine_mutex};
  auto sample_rate = engine_sample_rate();
  auto voices = installed_voices();
  if (voices.empty())
    throw std::runtime_error("espeak synthesizer: no voices installed");
  return std::make_unique<espeak_synthesizer>(
      sample_rate, static_cast<int>(rate_wpm), voices);
}

} // namespace

model_kind espeak_kind() {
  model_kind kind;
  kind.name = "espeak";
  kind.summary = "Formant speech synthesis by espeak-ng, every installed "
                 "voice (the embedded default for speech out)";
  kind.factory = &make_espeak_synthesizer;
  kind.options = {
      {"rate", option_type::integer, std::to_string(espeakRATE_NORMAL),
       "speaking rate in words per minute ("
           + std::to_string(espeakRATE_MINIMUM) + "-"
           + std::to_string(espeakRATE_MAXIMUM) + ")"},
  };
  kind.max_replicas = 1;
  return kind;
}

} // namespace parley

// The `pocketsphinx` transcriber: Parley's embedded default for English
// speech, on CMU PocketSphinx with the en-us continuous model and its
// trigram language model. Expect rough transcripts: clear read speech mostly
// comes through, conversational or noisy speech loses many words.
//
// Its options are declared in pocketsphinx_kind() at the end.

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/stat.h>

#include <pocketsphinx.h>
#include <sphinxbase/err.h>

#include "models/model_kind.hpp"
#include "models/speech/pcm.hpp"
#include "models/speech/sphinx_words.hpp"

namespace parley {

namespace {

constexpr const char* model_dir = "/usr/share/pocketsphinx/model/en-us";
constexpr const char* model_name = "pocketsphinx-en-us";

struct decoder_deleter {
  void operator()(ps_decoder_t* decoder) const {
    ps_free(decoder);
  }
};

struct config_deleter {
  void operator()(cmd_ln_t* config) const {
    cmd_ln_free_r(config);
  }
};

using decoder_ptr = std::unique_ptr<ps_decoder_t, decoder_deleter>;
using config_ptr = std::unique_ptr<cmd_ln_t, config_deleter>;

// ps_init fails with nothing but a log line, and logging is off; checking
// the paths first gives the error a name.
void require_path(const std::string& option, const std::string& path,
                  bool directory) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0
      || (directory ? !S_ISDIR(info.st_mode) : !S_ISREG(info.st_mode)))
    throw std::runtime_error("pocketsphinx transcriber: option " + option
                             + ": no such " + (directory ? "directory" : "file")
                             + " '" + path + "'");
}

// Accepts "en", "en-US", "en_GB" and empty (detect: English is all it knows).
bool is_english(const std::string& language) {
  if (language.empty())
    return true;
  auto primary = language.substr(0, language.find_first_of("-_"));
  return primary == "en" || primary == "EN" || primary == "En";
}

float clamp_unit(double value) {
  return std::isfinite(value) ? static_cast<float>(std::clamp(value, 0.0, 1.0))
                              : 0.0f;
}

class pocketsphinx_transcriber final : public transcription_backend {
public:
  pocketsphinx_transcriber(decoder_ptr decoder, double window_seconds)
      : decoder_(std::move(decoder)), window_seconds_(window_seconds) {
    auto frame_rate = cmd_ln_int32_r(ps_get_config(decoder_.get()), "-frate");
    frame_ms_ = frame_rate > 0 ? 1000.0 / frame_rate : 10.0;
  }

  transcription transcribe(const audio_window& window) override {
    if (!is_english(window.language))
      throw unsupported_language("pocketsphinx transcriber: recognizes only "
                                 "en, not '"
                                 + window.language + "'");
    transcription result;
    result.language = "en";
    result.model = model_name;
    result.duration_ms =
        speech::duration_ms(window.samples.size(), speech_sample_rate);
    decode(window.samples);
    auto words = word_segments(window.offset_ms, result.duration_ms);
    int32 score = 0;
    if (const char* hyp = ps_get_hyp(decoder_.get(), &score))
      result.text = hyp;
    if (result.text.empty())
      return result;
    // The posterior of the whole hypothesis (ps_get_prob) shrinks with every
    // word, so a long correct sentence would score near zero; the mean word
    // posterior does not depend on length.
    double sum = 0;
    for (const auto& word : words)
      sum += word.confidence;
    result.confidence = words.empty() ? 0.0f : clamp_unit(sum / words.size());
    if (window.timestamps)
      result.segments = std::move(words);
    else
      result.segments.push_back({result.text, window.offset_ms,
                                 window.offset_ms + result.duration_ms,
                                 result.confidence});
    return result;
  }

  double window_seconds() const override {
    return window_seconds_;
  }

  std::vector<std::string> languages() const override {
    return {"en"};
  }

private:
  void decode(const std::vector<float>& samples) {
    auto pcm = speech::to_pcm16(samples);
    auto* decoder = decoder_.get();
    // A new stream forgets the noise level learned from earlier windows, so
    // a window gives the same transcript whatever was decoded before it.
    if (ps_start_stream(decoder) < 0 || ps_start_utt(decoder) < 0)
      throw std::runtime_error("pocketsphinx transcriber: cannot start an "
                               "utterance");
    if (!pcm.empty()
        && ps_process_raw(decoder, pcm.data(), pcm.size(), /*no_search=*/FALSE,
                          /*full_utt=*/TRUE)
               < 0) {
      ps_end_utt(decoder);
      throw std::runtime_error("pocketsphinx transcriber: decoding failed");
    }
    if (ps_end_utt(decoder) < 0)
      throw std::runtime_error("pocketsphinx transcriber: cannot end the "
                               "utterance");
  }

  // One segment per spoken word of the best path, with its posterior.
  std::vector<transcript_segment> word_segments(uint32_t offset_ms,
                                                uint32_t duration_ms) const {
    std::vector<transcript_segment> words;
    auto* logmath = ps_get_logmath(decoder_.get());
    for (ps_seg_t* seg = ps_seg_iter(decoder_.get()); seg != nullptr;
         seg = ps_seg_next(seg)) {
      auto word = speech::spoken_word(ps_seg_word(seg));
      if (word.empty())
        continue;
      int start_frame = 0;
      int end_frame = 0;
      ps_seg_frames(seg, &start_frame, &end_frame);
      int32 acoustic = 0;
      int32 language = 0;
      int32 backoff = 0;
      auto posterior = ps_seg_prob(seg, &acoustic, &language, &backoff);
      // The end frame is inclusive.
      auto start_ms = to_ms(start_frame, duration_ms);
      auto end_ms = std::max(start_ms, to_ms(end_frame + 1, duration_ms));
      words.push_back({word, offset_ms + start_ms, offset_ms + end_ms,
                       clamp_unit(logmath_exp(logmath, posterior))});
    }
    return words;
  }

  uint32_t to_ms(int frame, uint32_t duration_ms) const {
    auto ms = std::lround(std::max(frame, 0) * frame_ms_);
    return static_cast<uint32_t>(std::min<long>(ms, duration_ms));
  }

  decoder_ptr decoder_;
  double window_seconds_;
  double frame_ms_ = 10.0;
};

std::unique_ptr<transcription_backend>
make_pocketsphinx_transcriber(const backend_options& options) {
  std::string dir = model_dir;
  auto hmm = options.get_string("hmm", dir + "/en-us");
  auto lm = options.get_string("lm", dir + "/en-us.lm.bin");
  auto dict = options.get_string("dict", dir + "/cmudict-en-us.dict");
  auto window_seconds = options.get_int("window_seconds", 30);
  if (window_seconds < 0)
    throw std::runtime_error("pocketsphinx transcriber: option "
                             "window_seconds must not be negative");
  require_path("hmm", hmm, /*directory=*/true);
  require_path("lm", lm, /*directory=*/false);
  require_path("dict", dict, /*directory=*/false);

  // Its log (model loading, every utterance) goes to stderr by default.
  err_set_logfp(nullptr);
  // -remove_silence no: its voice activity filter drops silent frames before
  // the search, so word frames no longer match the recording's time.
  // -cmn batch: the cepstral mean comes from the window itself, not from the
  // windows (of other requests) decoded before it. -bestpath yes: word
  // posteriors for the confidence.
  config_ptr config{cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", hmm.c_str(),
                                "-lm", lm.c_str(), "-dict", dict.c_str(),
                                "-remove_silence", "no", "-cmn", "batch",
                                "-bestpath", "yes", nullptr)};
  if (!config)
    throw std::runtime_error("pocketsphinx transcriber: invalid configuration");
  decoder_ptr decoder{ps_init(config.get())};
  if (!decoder)
    throw std::runtime_error("pocketsphinx transcriber: cannot load the model "
                             "(hmm '"
                             + hmm + "', lm '" + lm + "', dict '" + dict
                             + "')");
  return std::make_unique<pocketsphinx_transcriber>(
      std::move(decoder), static_cast<double>(window_seconds));
}

} // namespace

model_kind pocketsphinx_kind() {
  std::string dir = model_dir;
  model_kind kind;
  kind.name = "pocketsphinx";
  kind.summary = "English speech recognition by CMU PocketSphinx en-us (the "
                 "embedded default for speech in)";
  kind.factory = &make_pocketsphinx_transcriber;
  kind.options = {
      {"hmm", option_type::text, dir + "/en-us", "acoustic model directory"},
      {"lm", option_type::text, dir + "/en-us.lm.bin",
       "language model (.lm.bin or ARPA)"},
      {"dict", option_type::text, dir + "/cmudict-en-us.dict",
       "pronunciation dictionary"},
      {"window_seconds", option_type::integer, "30",
       "longest window it takes at once; each window is one utterance"},
  };
  return kind;
}

} // namespace parley

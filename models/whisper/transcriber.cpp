#include "models/whisper/transcriber.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>

#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <c10/util/Exception.h>
#include <nlohmann/json.hpp>

#include "models/checkpoint/config_fields.hpp"
#include "models/nllb/linear.hpp"
#include "models/whisper/generate.hpp"
#include "models/whisper/mel.hpp"
#include "models/whisper/model.hpp"
#include "models/whisper/segments.hpp"
#include "models/whisper/tokenizer.hpp"

namespace parley::whisper {

namespace {

namespace fs = std::filesystem;

/// Runs `f`, turning libtorch's errors (whose what() carries a stack trace)
/// into std::runtime_error with the message alone.
template <class F> auto without_backtrace(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const c10::Error& e) {
    throw std::runtime_error(e.what_without_backtrace());
  }
}

std::string trim(const std::string& text) {
  auto first = text.find_first_not_of(" \t\n\r");
  if (first == std::string::npos)
    return {};
  auto last = text.find_last_not_of(" \t\n\r");
  return text.substr(first, last - first + 1);
}

/// "en", "EN", "en-US", "en_GB" -> "en".
std::string primary_language(const std::string& tag) {
  auto primary = tag.substr(0, tag.find_first_of("-_"));
  std::transform(primary.begin(), primary.end(), primary.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return primary;
}

/// generation_config.json's token lists override config.json's.
void read_generation_config(const std::string& dir, model_config& config) {
  std::ifstream in{fs::path{dir} / "generation_config.json"};
  if (!in)
    return;
  auto doc = nlohmann::json::parse(in, nullptr, false);
  if (!doc.is_object())
    throw std::runtime_error(dir
                             + "/generation_config.json is not a JSON "
                               "object");
  for (auto [key, ids] :
       {std::pair{"suppress_tokens", &config.suppress_tokens},
        std::pair{"begin_suppress_tokens", &config.begin_suppress_tokens}})
    if (doc.contains(key) && !doc[key].is_null())
      *ids = config_fields::read_ids(doc, key);
}

std::string default_model_name(const std::string& dir) {
  auto name = fs::path{dir}.lexically_normal().filename().string();
  if (name.empty())
    name = fs::path{dir}.lexically_normal().parent_path().filename().string();
  return "whisper:" + name;
}

} // namespace

struct transcriber::impl {
  model network;
  tokenizer vocabulary;
  special_tokens specials;
  transcriber_options options;
  /// (code, token id) in id order; empty for an English-only model.
  std::vector<std::pair<std::string, int64_t>> languages;
  /// Suppressed on every step and first, from the configuration.
  std::vector<int64_t> suppress;
  std::vector<int64_t> begin_suppress;

  impl(std::shared_ptr<const model_weights> weights, tokenizer tokens,
       transcriber_options opts)
      : network(std::move(weights)), vocabulary(std::move(tokens)),
        options(std::move(opts)) {
  }

  const model_config& config() const {
    return network.config();
  }

  bool has_timestamps() const {
    return specials.timestamp_begin > specials.eot
           && specials.timestamp_begin < config().vocab_size;
  }

  /// The encoder output of `samples`, padded or cut to the input length.
  at::Tensor encode(const std::vector<float>& samples) const {
    auto length = config().input_frames() * mel_hop_length;
    auto audio = at::zeros({length}, at::kFloat);
    auto kept = std::min<int64_t>(static_cast<int64_t>(samples.size()), length);
    if (kept > 0)
      std::copy(samples.begin(), samples.begin() + kept,
                audio.data_ptr<float>());
    auto mel = log_mel_spectrogram(audio, config().num_mel_bins);
    return network.encode(mel.unsqueeze(0));
  }

  std::vector<int64_t> language_ids() const {
    std::vector<int64_t> ids;
    for (const auto& entry : languages)
      ids.push_back(entry.second);
    return ids;
  }

  /// Detects the language, leaving <|startoftranscript|> in `state`.
  std::pair<std::string, float> detect(decoder_state& state) const {
    auto probs = language_probs(network, state, specials.sot, language_ids());
    auto best = std::max_element(probs.begin(), probs.end()) - probs.begin();
    return {languages[best].first, probs[best]};
  }

  logit_rules rules(bool timestamps) const {
    logit_rules r;
    r.suppress = suppress;
    r.begin_suppress = begin_suppress;
    if (timestamps) {
      r.timestamp_begin = specials.timestamp_begin;
      r.no_timestamps = specials.no_timestamps;
    }
    return r;
  }

  std::optional<int64_t> language_id(const std::string& code) const {
    for (const auto& [language, id] : languages)
      if (language == code)
        return id;
    return std::nullopt;
  }
};

transcriber::transcriber(const std::string& dir,
                         const transcriber_options& options,
                         const load_progress& progress) {
  without_backtrace([&] {
    load_options load{options.type, c10::Device{options.device}};
    if (transformer::uses_int8(load.type))
      nllb::select_quantized_engine();
    auto weights = shared_weights(dir, load, progress);
    auto opts = options;
    if (opts.model_name.empty())
      opts.model_name = default_model_name(dir);
    impl_ = std::make_unique<impl>(weights, tokenizer::load(dir), opts);
    auto config = weights->config;
    read_generation_config(dir, config);
    auto& s = impl_->specials = impl_->vocabulary.specials(config.vocab_size);
    // The English-only models keep GPT-2's vocabulary (one token short of
    // the multilingual 51865) and take no language or task tokens, though
    // their tokenizer files list them.
    bool english_only = config.vocab_size >= 50257 && config.vocab_size < 51865;
    if (!english_only)
      impl_->languages = impl_->vocabulary.languages();
    if (s.eot < 0)
      s.eot = config.eos_id;
    if (s.sot < 0)
      s.sot = config.decoder_start_id;
    // Whisper's SuppressTokens: the listed non-speech tokens plus the
    // control tokens, which never belong in a transcript.
    impl_->suppress = config.suppress_tokens;
    for (auto id :
         {s.transcribe, s.translate, s.sot, s.sot_prev, s.sot_lm, s.no_speech})
      if (id >= 0)
        impl_->suppress.push_back(id);
    impl_->begin_suppress = config.begin_suppress_tokens;
    if (impl_->begin_suppress.empty()) {
      if (auto space = impl_->vocabulary.id_of("\xC4\xA0")) // "Ġ", a space
        impl_->begin_suppress.push_back(*space);
      impl_->begin_suppress.push_back(s.eot);
    }
  });
}

transcriber::~transcriber() = default;
transcriber::transcriber(transcriber&&) noexcept = default;
transcriber& transcriber::operator=(transcriber&&) noexcept = default;

transcription transcriber::transcribe(const audio_window& window) const {
  return without_backtrace([&] {
    c10::InferenceMode inference;
    const auto& p = *impl_;
    if (p.options.threads > 0)
      at::set_num_threads(p.options.threads);
    transcription result;
    result.model = p.options.model_name;
    auto window_samples = p.config().input_frames() * mel_hop_length;
    auto kept = std::min<int64_t>(static_cast<int64_t>(window.samples.size()),
                                  window_samples);
    result.duration_ms = static_cast<uint32_t>(kept * 1000 / mel_sample_rate);

    // the language: asked for, or detected from the first decoder step
    std::vector<int64_t> prompt{p.specials.sot};
    bool multilingual = !p.languages.empty();
    std::optional<int64_t> language_id;
    if (!window.language.empty()) {
      result.language = primary_language(window.language);
      language_id = p.language_id(result.language);
      if (multilingual ? !language_id : result.language != "en")
        throw unsupported_language("whisper transcriber: the model has no "
                                   "language '"
                                   + window.language + "'");
    }
    auto encoder_out = p.encode(window.samples);
    auto state = p.network.start(encoder_out);
    if (multilingual && !language_id) {
      result.language = p.detect(state).first;
      language_id = p.language_id(result.language);
    }
    if (!multilingual)
      result.language = "en";

    // the prompt: start, language, task, and no timestamps unless wanted
    if (multilingual) {
      prompt.push_back(*language_id);
      if (p.specials.transcribe >= 0)
        prompt.push_back(p.specials.transcribe);
    }
    bool timestamps = window.timestamps && p.has_timestamps();
    if (!timestamps && p.specials.no_timestamps >= 0)
      prompt.push_back(p.specials.no_timestamps);

    decode_options options;
    options.num_beams = p.options.num_beams;
    options.max_new_tokens = p.options.max_new_tokens;
    options.eot = p.specials.eot;
    options.rules = p.rules(timestamps);
    auto decoded = generate(p.network, state, prompt, options);

    result.text = trim(p.vocabulary.decode(decoded.tokens));
    result.confidence = static_cast<float>(decoded.confidence());
    if (timestamps)
      result.segments = timestamp_segments(
          decoded.tokens, decoded.log_probs, p.specials.timestamp_begin,
          p.vocabulary, window.offset_ms, result.duration_ms);
    else if (!result.text.empty())
      result.segments.push_back({result.text, window.offset_ms,
                                 window.offset_ms + result.duration_ms,
                                 result.confidence});
    return result;
  });
}

std::pair<std::string, float>
transcriber::detect_language(const std::vector<float>& samples) const {
  return without_backtrace([&] {
    c10::InferenceMode inference;
    if (impl_->languages.empty())
      return std::pair<std::string, float>{"en", 1.0f};
    auto state = impl_->network.start(impl_->encode(samples));
    return impl_->detect(state);
  });
}

double transcriber::window_seconds() const {
  return static_cast<double>(impl_->config().input_frames() * mel_hop_length)
         / mel_sample_rate;
}

std::vector<std::string> transcriber::languages() const {
  std::vector<std::string> codes;
  for (const auto& entry : impl_->languages)
    codes.push_back(entry.first);
  if (codes.empty())
    codes.push_back("en");
  return codes;
}

} // namespace parley::whisper

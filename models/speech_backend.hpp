#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "messages/speech.hpp"
#include "models/backend.hpp"

namespace parley {

/// The sample rate of every recording inside Parley: mono float in [-1, 1].
constexpr int speech_sample_rate = 16000;

/// A speech recognizer. The model actor that owns it calls it from one
/// thread at a time.
class transcription_backend {
public:
  virtual ~transcription_backend();

  /// Transcribes one window. Throws `unsupported_language` for a language
  /// it does not know; other exceptions become TRANSCRIPTION_FAILED.
  virtual transcription transcribe(const audio_window& window) = 0;

  /// Longest window it takes at once, in seconds; 0 takes any length.
  virtual double window_seconds() const = 0;

  /// The languages it recognizes, ISO 639-1.
  virtual std::vector<std::string> languages() const = 0;
};

/// A speech synthesizer, called from one thread at a time.
class synthesis_backend {
public:
  virtual ~synthesis_backend();

  /// Speaks `text` in `language` (ISO 639-1) at `speed` times its own
  /// rate: 16-bit mono PCM with its sample rate. Throws
  /// `unsupported_language` for a language it has no voice for; other
  /// exceptions become INTERNAL_ERROR.
  virtual synthesis synthesize(const std::string& text,
                               const std::string& language, float speed) = 0;

  /// Speaks `text` at the model's own rate.
  synthesis synthesize(const std::string& text, const std::string& language) {
    return synthesize(text, language, 1.0f);
  }

  /// The languages it has voices for, ISO 639-1.
  virtual std::vector<std::string> languages() const = 0;
};

/// Thrown by speech backends for a language they lack.
class unsupported_language : public std::invalid_argument {
public:
  using std::invalid_argument::invalid_argument;
};

using transcription_factory =
    std::unique_ptr<transcription_backend> (*)(const backend_options& options);
using synthesis_factory =
    std::unique_ptr<synthesis_backend> (*)(const backend_options& options);

} // namespace parley

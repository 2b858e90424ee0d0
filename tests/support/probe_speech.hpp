#pragma once

// Test-only speech backends for failure injection and for checking order
// and independence without timing: kinds "probe_asr" and "probe_tts",
// steered by a speech_probe named in their options (`probe = NAME`).
// probe_asr answers every window with `text` in `language`; probe_tts
// answers 100 ms of a tone, and refuses the languages in `refused`.

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "server/runtime_config.hpp"
#include "tests/support/probe_backend.hpp"

namespace parley::test {

struct speech_probe : probe_control {
  std::string text = "hello world";
  std::string language = "en";
  std::set<std::string> refused;
  std::atomic<int> spoken{0};

  /// Offsets of the windows seen, in order.
  std::vector<uint32_t> window_offsets() const;
  void record_window(uint32_t offset_ms);

private:
  mutable std::mutex windows_mtx_;
  std::vector<uint32_t> offsets_;
};

/// Creates a probe reachable by speech backends whose options say
/// `probe = <returned name>`.
std::pair<std::string, std::shared_ptr<speech_probe>> make_speech_probe();

/// Opens the gate of every speech probe (see open_all_gates).
void open_all_speech_gates();

/// Adds "probe_asr" and "probe_tts" to `registry`.
void add_speech_probes(backend_registry& registry);

/// A text model "text" on `text_probe`, and a recognizer "asr" and a
/// synthesizer "tts" on `speech_probe`.
runtime_config probe_audio_config(const std::string& text_probe,
                                  const std::string& speech_probe);

/// `seconds` of a quiet tone as WAV bytes.
std::string tone_wav(double seconds);

} // namespace parley::test

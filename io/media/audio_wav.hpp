#pragma once

// RIFF WAVE, the one container Parley reads and writes without FFmpeg: a
// 44-byte header is simpler to write than to configure a muxer for, and
// FFmpeg quietly accepts a WAV whose data stops before its header says.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley {

/// A canonical RIFF WAVE file (44-byte header) of 16-bit mono PCM.
std::string write_wav(const std::vector<int16_t>& samples, int sample_rate);

/// The duration the header of a RIFF WAVE file declares for its data chunk,
/// or none when `bytes` is not one or its header leaves the size open (0 and
/// the placeholders streaming writers use).
std::optional<double> wav_declared_seconds(std::string_view bytes);

} // namespace parley

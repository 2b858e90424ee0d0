#include "models/whisper/mel.hpp"

#include <algorithm>
#include <cmath>

namespace parley::whisper {

namespace {

// The Slaney mel scale: linear below 1 kHz, logarithmic above.
constexpr double linear_hz_per_mel = 200.0 / 3.0;
constexpr double log_start_hz = 1000.0;
constexpr double log_start_mel = log_start_hz / linear_hz_per_mel;

double log_step() {
  return std::log(6.4) / 27.0;
}

double hz_to_mel(double hz) {
  if (hz >= log_start_hz)
    return log_start_mel + std::log(hz / log_start_hz) / log_step();
  return hz / linear_hz_per_mel;
}

double mel_to_hz(double mel) {
  if (mel >= log_start_mel)
    return log_start_hz * std::exp(log_step() * (mel - log_start_mel));
  return linear_hz_per_mel * mel;
}

} // namespace

std::vector<float> mel_filters(int64_t n_mels, int64_t n_fft,
                               int64_t sample_rate) {
  auto bins = n_fft / 2 + 1;
  // centre frequencies of n_mels + 2 points evenly spaced in mel, as
  // np.linspace places them (the last exactly at the end)
  std::vector<double> edges(n_mels + 2);
  auto low = hz_to_mel(0.0);
  auto high = hz_to_mel(sample_rate / 2.0);
  auto step = (high - low) / static_cast<double>(n_mels + 1);
  for (int64_t i = 0; i < n_mels + 2; ++i)
    edges[i] = mel_to_hz(low + static_cast<double>(i) * step);
  edges.back() = mel_to_hz(high);
  std::vector<double> frequencies(bins);
  auto hz_per_bin = 1.0 / (static_cast<double>(n_fft) / sample_rate);
  for (int64_t k = 0; k < bins; ++k)
    frequencies[k] = static_cast<double>(k) * hz_per_bin;

  std::vector<float> weights(n_mels * bins);
  for (int64_t m = 0; m < n_mels; ++m) {
    // triangles in Hz, stored as float32 as librosa does, then scaled to
    // unit area (Slaney normalization)
    auto enorm = 2.0 / (edges[m + 2] - edges[m]);
    for (int64_t k = 0; k < bins; ++k) {
      auto lower = -(edges[m] - frequencies[k]) / (edges[m + 1] - edges[m]);
      auto upper =
          (edges[m + 2] - frequencies[k]) / (edges[m + 2] - edges[m + 1]);
      auto triangle = static_cast<float>(std::max(0.0, std::min(lower, upper)));
      weights[m * bins + k] = static_cast<float>(triangle * enorm);
    }
  }
  return weights;
}

namespace {

at::Tensor filter_bank(int64_t n_mels) {
  auto bins = mel_n_fft / 2 + 1;
  return at::tensor(mel_filters(n_mels), at::kFloat).view({n_mels, bins});
}

} // namespace

at::Tensor log_mel_spectrogram(const at::Tensor& samples, int64_t n_mels) {
  auto audio = samples.to(at::kFloat).reshape(-1);
  // reflect padding needs more samples than half a window
  if (audio.size(0) <= mel_n_fft / 2)
    audio = at::constant_pad_nd(audio, {0, mel_n_fft / 2 + 1 - audio.size(0)});
  // Constants of the front end, built once per process (per mel size).
  static const auto window =
      at::hann_window(mel_n_fft, /*periodic=*/true, at::kFloat);
  static const auto filters_80 = filter_bank(80);
  static const auto filters_128 = filter_bank(128);
  auto spectrum = at::stft(audio, mel_n_fft, mel_hop_length, mel_n_fft, window,
                           /*center=*/true, "reflect", /*normalized=*/false,
                           /*onesided=*/true, /*return_complex=*/true);
  // power spectrum without the last frame
  auto power = spectrum.narrow(-1, 0, spectrum.size(-1) - 1).abs().pow(2);
  auto filters = n_mels == 80    ? filters_80
                 : n_mels == 128 ? filters_128
                                 : filter_bank(n_mels);
  auto mel = at::matmul(filters, power);
  // log10, floored 8 below the maximum, scaled to about [-1, 1]
  auto log_spec = mel.clamp_min(1e-10).log10();
  log_spec = at::maximum(log_spec, log_spec.max() - 8.0);
  return (log_spec + 4.0) / 4.0;
}

} // namespace parley::whisper

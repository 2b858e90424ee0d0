#pragma once

// Whisper's log-mel front end: 16 kHz samples to the features its encoder
// takes.

#include <cstdint>
#include <vector>

#include <ATen/ATen.h>

namespace parley::whisper {

/// The front end's fixed parameters (the released models all use them).
constexpr int64_t mel_sample_rate = 16000;
constexpr int64_t mel_n_fft = 400;
constexpr int64_t mel_hop_length = 160;

/// The Slaney mel filter bank as librosa (`librosa.filters.mel`, htk=False,
/// norm="slaney") and Whisper's mel_filters.npz compute it: `n_mels` rows of
/// `n_fft / 2 + 1` float weights, row-major, covering 0 to sample_rate / 2.
std::vector<float> mel_filters(int64_t n_mels, int64_t n_fft = mel_n_fft,
                               int64_t sample_rate = mel_sample_rate);

/// The reference front end on `samples` (1-D float): periodic Hann window,
/// centred reflect-padded STFT (n_fft 400, hop 160), last frame dropped,
/// power spectrum, the mel filter bank, log10 clamped at 1e-10, floored at
/// its maximum minus 8, then (x + 4) / 4. Returns [n_mels, samples / 160].
at::Tensor log_mel_spectrogram(const at::Tensor& samples, int64_t n_mels);

} // namespace parley::whisper

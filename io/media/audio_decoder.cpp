#include "io/media/audio_decoder.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <new>
#include <system_error>

#include "io/media/audio_ffmpeg.hpp"
#include "io/media/audio_memory_io.hpp"
#include "io/media/audio_stream_decoder.hpp"
#include "io/media/audio_wav.hpp"

namespace parley {

namespace {

// Written down so that no input can raise them: format detection reads at
// most the first, stream analysis at most the second.
constexpr int format_probe_bytes = 1 << 20;
constexpr int64_t stream_probe_bytes = 5'000'000;
constexpr int64_t analyze_duration_us = 5'000'000;
constexpr int max_streams = 32;

// Below this score FFmpeg keeps probing when it can and warns of a possible
// misdetection when it cannot: random bytes that hold a few MP3 frame headers
// by chance score 1 to 5. A clip of a few MP3 frames scores exactly this.
constexpr int min_probe_score = AVPROBE_SCORE_RETRY;

// A last resort against a demuxer or decoder that never finishes.
constexpr auto decode_deadline = std::chrono::seconds(120);

// Declared and decoded durations differ by encoder delay and padding; audio
// shorter than declared by more than this was cut off.
constexpr double truncation_slack_seconds = 0.25;
constexpr double truncation_slack_ratio = 0.05;

double truncation_slack(double declared_seconds) {
  return std::max(truncation_slack_seconds,
                  truncation_slack_ratio * declared_seconds);
}

[[noreturn]] void corrupt(const std::string& what) {
  throw audio_error(error_code::audio_decode_failed, what);
}

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%g s", seconds);
  return text;
}

[[noreturn]] void too_long(const audio_limits& limits) {
  throw audio_error(error_code::invalid_request,
                    "the audio is longer than the limit of "
                        + seconds_text(limits.max_seconds) + " (max_seconds)");
}

[[noreturn]] void too_large(size_t bytes, const audio_limits& limits) {
  throw audio_error(
      error_code::invalid_request,
      "the audio has " + std::to_string(bytes) + " bytes, over the limit of "
          + std::to_string(limits.max_bytes) + " bytes (max_bytes)");
}

// Playlists and concatenation scripts (hls, dash, concat, sdp) name other
// files or URLs; audio sent to Parley must be self-contained, or a client
// could make the server read its local files. Demuxers open nested inputs
// either through `io_open` or through a protocol, so both are shut.
constexpr const char* no_protocols = "none";

int refuse_nested_open(AVFormatContext*, AVIOContext**, const char*, int,
                       AVDictionary**) {
  return AVERROR(EPERM);
}

ffmpeg::input_ptr open_input(ffmpeg::memory_reader& reader) {
  const AVInputFormat* format = nullptr;
  int score = av_probe_input_buffer2(reader.context(), &format, "", nullptr, 0,
                                     format_probe_bytes);
  if (score < 0 || !format)
    corrupt("the input is not audio in any format FFmpeg knows");
  if (score < min_probe_score)
    corrupt(std::string{"the input is not audio FFmpeg recognises (it "
                        "resembles "}
            + format->name + " only faintly)");
  AVFormatContext* raw = avformat_alloc_context();
  if (!raw)
    throw std::bad_alloc{};
  raw->pb = reader.context();
  raw->flags |= AVFMT_FLAG_CUSTOM_IO;
  raw->format_probesize = format_probe_bytes;
  raw->probesize = stream_probe_bytes;
  raw->max_analyze_duration = analyze_duration_us;
  raw->max_streams = max_streams;
  raw->io_open = refuse_nested_open;
  raw->protocol_whitelist = av_strdup(no_protocols);
  if (!raw->protocol_whitelist) {
    avformat_free_context(raw);
    throw std::bad_alloc{};
  }
  // On failure avformat_open_input frees the context itself.
  int ret = avformat_open_input(&raw, "", format, nullptr);
  if (ret < 0)
    corrupt("cannot read the " + std::string{format->name}
            + " container: " + ffmpeg::error_string(ret));
  ffmpeg::input_ptr input{raw};
  ret = avformat_find_stream_info(raw, nullptr);
  if (ret < 0)
    corrupt("cannot read the streams of the " + std::string{format->name}
            + " container: " + ffmpeg::error_string(ret));
  return input;
}

// The duration the container states for `stream` in its headers or index;
// negative when unknown or merely guessed from the bit rate. Matroska states
// only the whole file's, which is the stream's when there is no other.
double declared_seconds(const AVFormatContext& input, const AVStream& stream) {
  if (input.duration_estimation_method == AVFMT_DURATION_FROM_BITRATE)
    return -1;
  if (stream.duration != AV_NOPTS_VALUE && stream.duration > 0)
    return static_cast<double>(stream.duration) * av_q2d(stream.time_base);
  if (input.nb_streams == 1 && input.duration != AV_NOPTS_VALUE
      && input.duration > 0)
    return static_cast<double>(input.duration) / AV_TIME_BASE;
  return -1;
}

void clamp_samples(std::vector<float>& samples) {
  for (auto& sample : samples)
    sample = std::isfinite(sample) ? std::clamp(sample, -1.0f, 1.0f) : 0.0f;
}

} // namespace

decoded_audio decode_audio(std::string_view bytes, const audio_limits& limits) {
  ffmpeg::route_logging();
  if (bytes.empty())
    throw audio_error(error_code::missing_audio, "the request has no audio");
  if (bytes.size() > limits.max_bytes)
    too_large(bytes.size(), limits);

  // The reader must outlive the demuxer that reads through it.
  ffmpeg::memory_reader reader(bytes, std::chrono::steady_clock::now()
                                          + decode_deadline);
  auto input = open_input(reader);
  const AVCodec* codec = nullptr;
  int index =
      av_find_best_stream(input.get(), AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
  if (index == AVERROR_STREAM_NOT_FOUND)
    corrupt("the " + std::string{input->iformat->name}
            + " input holds no audio stream");
  if (index < 0 || !codec)
    corrupt("FFmpeg has no decoder for this audio");
  const AVStream& stream = *input->streams[index];
  decoded_audio result;
  result.format = input->iformat->name;
  result.codec = avcodec_get_name(stream.codecpar->codec_id);

  // Refuse what the header says is too long without decoding it; the slack
  // leaves audio within the limit but for its padding to the check below.
  auto declared = declared_seconds(*input, stream);
  if (declared > limits.max_seconds + truncation_slack(declared))
    too_long(limits);
  if (auto wav_declared = wav_declared_seconds(bytes))
    declared = std::max(declared, *wav_declared);

  auto max_samples = static_cast<size_t>(
      std::max(0.0, limits.max_seconds * decoded_sample_rate));
  ffmpeg::stream_decoder decoder(stream, *codec, decoded_sample_rate,
                                 max_samples);
  auto packet = ffmpeg::make_packet();
  // Every packet consumes input; more packets than bytes means no progress.
  auto max_packets = bytes.size() + 1024;
  for (size_t read = 0;; ++read) {
    if (reader.exhausted() || read > max_packets)
      corrupt("the " + result.format + " input never ends");
    // Read errors end the stream: what came before may be all there is,
    // and the checks below tell a cut-off or corrupt input apart.
    if (av_read_frame(input.get(), packet.get()) < 0)
      break;
    if (packet->stream_index == index)
      decoder.decode(*packet);
    av_packet_unref(packet.get());
    if (decoder.over_limit())
      too_long(limits);
  }
  result.samples = decoder.finish();
  if (decoder.over_limit())
    too_long(limits);
  if (reader.exhausted())
    corrupt("the " + result.format + " input never ends");

  if (decoder.errors() * 2 > decoder.packets())
    corrupt("the " + result.codec + " audio is corrupt");
  if (result.samples.empty())
    corrupt("the " + result.format + " input holds no samples");
  result.duration_seconds =
      static_cast<double>(result.samples.size()) / decoded_sample_rate;
  if (declared > 0
      && result.duration_seconds + truncation_slack(declared) < declared)
    corrupt("the audio holds " + seconds_text(result.duration_seconds)
            + " of the " + seconds_text(declared)
            + " its header declares: it is cut off or corrupt");
  clamp_samples(result.samples);
  return result;
}

decoded_audio decode_audio_file(const std::string& path,
                                const audio_limits& limits) {
  std::error_code error;
  auto size = std::filesystem::file_size(path, error);
  if (error)
    corrupt("cannot read " + path + ": " + error.message());
  if (size > limits.max_bytes)
    too_large(size, limits);
  std::ifstream file(path, std::ios::binary);
  std::string bytes(size, '\0');
  if (!file.read(bytes.data(), static_cast<std::streamsize>(size)))
    corrupt("cannot read " + path);
  return decode_audio(bytes, limits);
}

} // namespace parley

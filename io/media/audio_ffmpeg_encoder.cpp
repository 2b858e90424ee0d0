#include "io/media/audio_ffmpeg_encoder.hpp"

#include <algorithm>
#include <cstring>
#include <new>
#include <stdexcept>

#include "io/media/audio_ffmpeg.hpp"
#include "io/media/audio_memory_io.hpp"

namespace parley::ffmpeg {

namespace {

// For encoders that take frames of any size.
constexpr int variable_frame_samples = 1024;

[[noreturn]] void fail(const std::string& what, int code) {
  throw std::runtime_error(what + ": " + error_string(code));
}

void check(int code, const char* what) {
  if (code < 0)
    fail(what, code);
}

const AVCodec& find_encoder(const encoder_recipe& recipe) {
  for (const auto& name : recipe.encoders)
    if (auto* codec = avcodec_find_encoder_by_name(name.c_str()))
      return *codec;
  std::string names;
  for (const auto& name : recipe.encoders)
    names += (names.empty() ? "" : " or ") + name;
  throw std::runtime_error("this FFmpeg build has no " + names + " encoder");
}

// The wanted rate if the encoder takes it, else the nearest rate above it,
// else the highest it takes.
int pick_rate(const AVCodec& codec, int wanted) {
  if (!codec.supported_samplerates)
    return wanted;
  int above = 0;
  int highest = 0;
  for (auto* rate = codec.supported_samplerates; *rate; ++rate) {
    if (*rate == wanted)
      return wanted;
    if (*rate > wanted && (above == 0 || *rate < above))
      above = *rate;
    highest = std::max(highest, *rate);
  }
  return above ? above : highest;
}

AVSampleFormat pick_format(const AVCodec& codec) {
  if (!codec.sample_fmts)
    return AV_SAMPLE_FMT_S16;
  for (auto* format = codec.sample_fmts; *format != AV_SAMPLE_FMT_NONE;
       ++format)
    if (*format == AV_SAMPLE_FMT_S16 || *format == AV_SAMPLE_FMT_S16P)
      return *format;
  return codec.sample_fmts[0];
}

codec_ptr open_encoder(const AVCodec& codec, const encoder_recipe& recipe,
                       int rate, bool global_header) {
  codec_ptr context{avcodec_alloc_context3(&codec)};
  if (!context)
    throw std::bad_alloc{};
  context->sample_rate = rate;
  context->sample_fmt = pick_format(codec);
  context->ch_layout = AV_CHANNEL_LAYOUT_MONO;
  context->time_base = AVRational{1, rate};
  context->bit_rate = recipe.bit_rate;
  if (codec.capabilities & AV_CODEC_CAP_EXPERIMENTAL)
    context->strict_std_compliance = FF_COMPLIANCE_EXPERIMENTAL;
  if (global_header)
    context->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  check(avcodec_open2(context.get(), &codec, nullptr),
        "cannot open the audio encoder");
  return context;
}

// All of `samples`, converted to the encoder's rate and sample format. One
// channel, so planar and packed layouts are the same bytes.
std::vector<uint8_t> convert(const std::vector<int16_t>& samples, int rate,
                             const AVCodecContext& encoder) {
  AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
  SwrContext* raw = nullptr;
  check(swr_alloc_set_opts2(&raw, &mono, encoder.sample_fmt,
                            encoder.sample_rate, &mono, AV_SAMPLE_FMT_S16, rate,
                            0, nullptr),
        "cannot set up the resampler");
  swr_ptr swr{raw};
  check(swr_init(swr.get()), "cannot set up the resampler");
  auto sample_bytes = av_get_bytes_per_sample(encoder.sample_fmt);
  auto in_count = static_cast<int>(samples.size());
  auto capacity = swr_get_out_samples(swr.get(), in_count) + 64;
  std::vector<uint8_t> out(static_cast<size_t>(capacity) * sample_bytes);
  auto* in = reinterpret_cast<const uint8_t*>(samples.data());
  auto* dst = out.data();
  int got = swr_convert(swr.get(), &dst, capacity, &in, in_count);
  check(got, "cannot resample the audio");
  auto* rest = out.data() + static_cast<size_t>(got) * sample_bytes;
  int flushed = swr_convert(swr.get(), &rest, capacity - got, nullptr, 0);
  check(flushed, "cannot resample the audio");
  out.resize(static_cast<size_t>(got + flushed) * sample_bytes);
  return out;
}

// Moves every packet the encoder has ready into the muxer.
void write_packets(AVCodecContext& encoder, AVFormatContext& muxer,
                   AVPacket& packet) {
  for (;;) {
    int ret = avcodec_receive_packet(&encoder, &packet);
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
      return;
    check(ret, "cannot encode the audio");
    av_packet_rescale_ts(&packet, encoder.time_base,
                         muxer.streams[0]->time_base);
    packet.stream_index = 0;
    check(av_interleaved_write_frame(&muxer, &packet),
          "cannot write the audio");
  }
}

void encode_frames(const std::vector<uint8_t>& pcm, AVCodecContext& encoder,
                   AVFormatContext& muxer) {
  auto sample_bytes =
      static_cast<size_t>(av_get_bytes_per_sample(encoder.sample_fmt));
  auto total = pcm.size() / sample_bytes;
  auto frame_samples = encoder.frame_size > 0
                               && !(encoder.codec->capabilities
                                    & AV_CODEC_CAP_VARIABLE_FRAME_SIZE)
                           ? static_cast<size_t>(encoder.frame_size)
                           : static_cast<size_t>(variable_frame_samples);
  auto frame = make_frame();
  auto packet = make_packet();
  for (size_t offset = 0; offset < total; offset += frame_samples) {
    auto count = std::min(frame_samples, total - offset);
    frame->nb_samples = static_cast<int>(count);
    frame->format = encoder.sample_fmt;
    frame->sample_rate = encoder.sample_rate;
    check(av_channel_layout_copy(&frame->ch_layout, &encoder.ch_layout),
          "cannot set up a frame");
    check(av_frame_get_buffer(frame.get(), 0), "cannot set up a frame");
    std::memcpy(frame->data[0], pcm.data() + offset * sample_bytes,
                count * sample_bytes);
    frame->pts = static_cast<int64_t>(offset);
    check(avcodec_send_frame(&encoder, frame.get()), "cannot encode");
    av_frame_unref(frame.get());
    write_packets(encoder, muxer, *packet);
  }
  check(avcodec_send_frame(&encoder, nullptr), "cannot flush the encoder");
  write_packets(encoder, muxer, *packet);
}

} // namespace

std::string encode_with_ffmpeg(const std::vector<int16_t>& samples,
                               int sample_rate, const encoder_recipe& recipe) {
  route_logging();
  const AVCodec& codec = find_encoder(recipe);
  // The writer must outlive the muxer that writes through it.
  memory_writer writer;
  AVFormatContext* raw = nullptr;
  check(avformat_alloc_output_context2(&raw, nullptr, recipe.muxer.c_str(),
                                       nullptr),
        ("this FFmpeg build has no " + recipe.muxer + " muxer").c_str());
  output_ptr muxer{raw};
  auto rate =
      pick_rate(codec, recipe.sample_rate ? recipe.sample_rate : sample_rate);
  auto encoder = open_encoder(codec, recipe, rate,
                              muxer->oformat->flags & AVFMT_GLOBALHEADER);
  AVStream* stream = avformat_new_stream(muxer.get(), nullptr);
  if (!stream)
    throw std::bad_alloc{};
  check(avcodec_parameters_from_context(stream->codecpar, encoder.get()),
        "cannot describe the audio stream");
  stream->time_base = encoder->time_base;

  muxer->pb = writer.context();
  muxer->flags |= AVFMT_FLAG_CUSTOM_IO;
  check(avformat_write_header(muxer.get(), nullptr),
        "cannot start the container");
  encode_frames(convert(samples, sample_rate, *encoder), *encoder, *muxer);
  check(av_write_trailer(muxer.get()), "cannot finish the container");
  muxer.reset();
  return writer.take();
}

} // namespace parley::ffmpeg

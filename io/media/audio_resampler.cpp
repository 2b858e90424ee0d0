#include "io/media/audio_resampler.hpp"

#include <algorithm>

#include "io/media/audio_error.hpp"

extern "C" {
#include <libavutil/opt.h>
}

namespace parley::ffmpeg {

namespace {

[[noreturn]] void fail(const std::string& what) {
  throw audio_error(error_code::audio_decode_failed, what);
}

} // namespace

mono_resampler::mono_resampler(int out_rate) : out_rate_(out_rate) {
}

bool mono_resampler::push(const AVFrame& frame, std::vector<float>& out,
                          size_t max_samples) {
  if (frame.nb_samples <= 0)
    return out.size() <= max_samples;
  // Only native layouts name their channels in a way the remixer knows;
  // anything else is taken as that many channels in the default order.
  // Either way the layout owns no memory and copies as a plain struct.
  AVChannelLayout layout{};
  if (frame.ch_layout.order == AV_CHANNEL_ORDER_NATIVE)
    layout = frame.ch_layout;
  else
    av_channel_layout_default(&layout, frame.ch_layout.nb_channels);
  if (!matches(layout, frame.format, frame.sample_rate)) {
    flush(out);
    configure(layout, frame.format, frame.sample_rate);
  }

  auto format = static_cast<AVSampleFormat>(frame.format);
  bool planar = av_sample_fmt_is_planar(format);
  int planes = planar ? in_layout_.nb_channels : 1;
  auto step_bytes = static_cast<size_t>(av_get_bytes_per_sample(format))
                    * (planar ? 1 : in_layout_.nb_channels);
  std::vector<const uint8_t*> slice(static_cast<size_t>(planes));
  for (int done = 0; done < frame.nb_samples; done += in_rate_) {
    for (int plane = 0; plane < planes; ++plane)
      slice[plane] = frame.extended_data[plane] + done * step_bytes;
    convert(slice.data(), std::min(in_rate_, frame.nb_samples - done), out);
    if (out.size() > max_samples)
      return false;
  }
  return true;
}

void mono_resampler::flush(std::vector<float>& out) {
  if (swr_)
    convert(nullptr, 0, out);
}

bool mono_resampler::matches(const AVChannelLayout& layout, int format,
                             int rate) const {
  return swr_ && format == in_format_ && rate == in_rate_
         && av_channel_layout_compare(&layout, &in_layout_) == 0;
}

void mono_resampler::configure(const AVChannelLayout& layout, int format,
                               int rate) {
  swr_.reset();
  in_format_ = AV_SAMPLE_FMT_NONE;
  if (layout.nb_channels <= 0 || rate <= 0 || format < 0)
    fail("the decoder produced audio without channels, rate or format");
  AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
  SwrContext* raw = nullptr;
  int ret = swr_alloc_set_opts2(&raw, &mono, AV_SAMPLE_FMT_FLT, out_rate_,
                                const_cast<AVChannelLayout*>(&layout),
                                static_cast<AVSampleFormat>(format), rate, 0,
                                nullptr);
  swr_ptr swr{raw};
  if (ret < 0)
    fail("cannot convert this audio: " + error_string(ret));
  // Without this a float downmix sums the channels (scaled by 1/sqrt(2)) and
  // leaves [-1, 1]; with it, identical channels downmix to themselves.
  av_opt_set_double(swr.get(), "rematrix_maxval", 1.0, 0);
  ret = swr_init(swr.get());
  if (ret < 0)
    fail("cannot convert this audio: " + error_string(ret));
  swr_ = std::move(swr);
  in_layout_ = layout;
  in_format_ = format;
  in_rate_ = rate;
}

void mono_resampler::convert(const uint8_t** in, int in_count,
                             std::vector<float>& out) {
  int capacity = swr_get_out_samples(swr_.get(), in_count);
  if (capacity < 0)
    fail("cannot convert this audio: " + error_string(capacity));
  if (capacity == 0)
    return;
  auto old_size = out.size();
  out.resize(old_size + static_cast<size_t>(capacity));
  auto* dst = reinterpret_cast<uint8_t*>(out.data() + old_size);
  int got = swr_convert(swr_.get(), &dst, capacity, in, in_count);
  if (got < 0) {
    out.resize(old_size);
    fail("cannot convert this audio: " + error_string(got));
  }
  out.resize(old_size + static_cast<size_t>(got));
}

} // namespace parley::ffmpeg

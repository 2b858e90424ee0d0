#include "io/media/audio_stream_decoder.hpp"

#include <new>
#include <string>

#include "io/media/audio_error.hpp"

namespace parley::ffmpeg {

stream_decoder::stream_decoder(const AVStream& stream, const AVCodec& codec,
                               int out_rate, size_t max_samples)
    : max_samples_(max_samples), context_(avcodec_alloc_context3(&codec)),
      frame_(make_frame()), resampler_(out_rate) {
  if (!context_)
    throw std::bad_alloc{};
  int ret = avcodec_parameters_to_context(context_.get(), stream.codecpar);
  if (ret >= 0) {
    context_->pkt_timebase = stream.time_base;
    context_->thread_count = 1;
    ret = avcodec_open2(context_.get(), &codec, nullptr);
  }
  if (ret < 0)
    throw audio_error(error_code::audio_decode_failed,
                      "cannot open the " + std::string{codec.name}
                          + " decoder: " + error_string(ret));
}

void stream_decoder::decode(const AVPacket& packet) {
  if (over_limit_)
    return;
  ++packets_;
  int ret = avcodec_send_packet(context_.get(), &packet);
  if (ret == AVERROR(EAGAIN)) {
    receive();
    ret = avcodec_send_packet(context_.get(), &packet);
  }
  if (ret < 0)
    ++errors_;
  receive();
}

std::vector<float> stream_decoder::finish() {
  if (!over_limit_) {
    if (avcodec_send_packet(context_.get(), nullptr) >= 0)
      receive();
    resampler_.flush(samples_);
    over_limit_ = samples_.size() > max_samples_;
  }
  return std::move(samples_);
}

void stream_decoder::receive() {
  while (!over_limit_) {
    int ret = avcodec_receive_frame(context_.get(), frame_.get());
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
      return;
    if (ret < 0) {
      // The frame is lost; asking again could return the same error forever.
      ++errors_;
      return;
    }
    over_limit_ = !resampler_.push(*frame_, samples_, max_samples_);
    av_frame_unref(frame_.get());
  }
}

} // namespace parley::ffmpeg

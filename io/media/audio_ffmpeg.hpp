#pragma once

// Internal to the audio files of io/: owning pointers for FFmpeg objects and
// FFmpeg's logging. Nothing outside io/audio_*.cpp includes FFmpeg headers.

#include <memory>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libswresample/swresample.h>
}

namespace parley::ffmpeg {

struct input_deleter {
  void operator()(AVFormatContext* ctx) const {
    avformat_close_input(&ctx);
  }
};

struct output_deleter {
  void operator()(AVFormatContext* ctx) const {
    avformat_free_context(ctx);
  }
};

struct codec_deleter {
  void operator()(AVCodecContext* ctx) const {
    avcodec_free_context(&ctx);
  }
};

struct frame_deleter {
  void operator()(AVFrame* frame) const {
    av_frame_free(&frame);
  }
};

struct packet_deleter {
  void operator()(AVPacket* packet) const {
    av_packet_free(&packet);
  }
};

struct swr_deleter {
  void operator()(SwrContext* swr) const {
    swr_free(&swr);
  }
};

/// A demuxer opened with `avformat_open_input`.
using input_ptr = std::unique_ptr<AVFormatContext, input_deleter>;
/// A muxer allocated with `avformat_alloc_output_context2`.
using output_ptr = std::unique_ptr<AVFormatContext, output_deleter>;
using codec_ptr = std::unique_ptr<AVCodecContext, codec_deleter>;
using frame_ptr = std::unique_ptr<AVFrame, frame_deleter>;
using packet_ptr = std::unique_ptr<AVPacket, packet_deleter>;
using swr_ptr = std::unique_ptr<SwrContext, swr_deleter>;

/// Allocates a frame; throws `std::bad_alloc` when out of memory.
frame_ptr make_frame();

/// Allocates a packet; throws `std::bad_alloc` when out of memory.
packet_ptr make_packet();

/// FFmpeg's text for an `AVERROR` code.
std::string error_string(int code);

/// Sends FFmpeg's warnings and errors to spdlog at debug level and drops the
/// rest, once per process: hostile input makes FFmpeg log a lot, and none of
/// it belongs on the server's standard error.
void route_logging();

} // namespace parley::ffmpeg

#include "io/media/audio_ffmpeg.hpp"

#include <cstdarg>
#include <mutex>
#include <new>

#include <spdlog/spdlog.h>

namespace parley::ffmpeg {

namespace {

void log_to_spdlog(void* avcl, int level, const char* fmt, va_list args) {
  if (level > AV_LOG_WARNING || !spdlog::should_log(spdlog::level::debug))
    return;
  char line[1024];
  int print_prefix = 1;
  av_log_format_line2(avcl, level, fmt, args, line, sizeof line, &print_prefix);
  std::string text{line};
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.pop_back();
  spdlog::debug("ffmpeg: {}", text);
}

} // namespace

frame_ptr make_frame() {
  frame_ptr frame{av_frame_alloc()};
  if (!frame)
    throw std::bad_alloc{};
  return frame;
}

packet_ptr make_packet() {
  packet_ptr packet{av_packet_alloc()};
  if (!packet)
    throw std::bad_alloc{};
  return packet;
}

std::string error_string(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof text);
  return text;
}

void route_logging() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_callback(log_to_spdlog); });
}

} // namespace parley::ffmpeg

#pragma once

// Internal to the audio files of io/: AVIOContexts over memory, so that audio
// never touches the disk on its way through FFmpeg.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

struct AVIOContext;

namespace parley::ffmpeg {

/// Reads and seeks within bytes held by the caller, which must outlive it.
/// Guards against demuxers that never finish: reads fail once they have
/// delivered a bounded multiple of the input or once `deadline` has passed.
class memory_reader {
public:
  memory_reader(std::string_view bytes,
                std::chrono::steady_clock::time_point deadline);
  ~memory_reader();

  memory_reader(const memory_reader&) = delete;
  memory_reader& operator=(const memory_reader&) = delete;

  /// The context to hand to a demuxer as its `pb`.
  AVIOContext* context() const {
    return context_;
  }

  /// True once a guard has tripped; reading then fails for good.
  bool exhausted() const;

private:
  static int read(void* opaque, uint8_t* buffer, int size);
  static int64_t seek(void* opaque, int64_t offset, int whence);

  std::string_view bytes_;
  int64_t position_ = 0;
  int64_t delivered_ = 0;
  int64_t budget_;
  std::chrono::steady_clock::time_point deadline_;
  AVIOContext* context_ = nullptr;
};

/// Collects what a muxer writes, seeks included (muxers such as mp3 go back
/// to fill in a header once they know the length).
class memory_writer {
public:
  memory_writer();
  ~memory_writer();

  memory_writer(const memory_writer&) = delete;
  memory_writer& operator=(const memory_writer&) = delete;

  /// The context to hand to a muxer as its `pb`.
  AVIOContext* context() const {
    return context_;
  }

  /// Flushes the context and returns everything written.
  std::string take();

private:
  static int write(void* opaque, uint8_t* buffer, int size);
  static int64_t seek(void* opaque, int64_t offset, int whence);

  std::string bytes_;
  int64_t position_ = 0;
  AVIOContext* context_ = nullptr;
};

} // namespace parley::ffmpeg

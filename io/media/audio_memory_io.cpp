#include "io/media/audio_memory_io.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <new>

extern "C" {
#include <libavformat/avio.h>
#include <libavutil/error.h>
#include <libavutil/mem.h>
}

namespace parley::ffmpeg {

namespace {

constexpr int buffer_bytes = 32 << 10;

// Probing and duration estimation legitimately read some parts twice; a
// demuxer reading the input more often than this is going round in circles.
constexpr int64_t reread_factor = 16;
constexpr int64_t reread_slack_bytes = 16 << 20;

AVIOContext* make_context(bool write, void* opaque,
                          int (*read)(void*, uint8_t*, int),
                          int (*write_fn)(void*, uint8_t*, int),
                          int64_t (*seek)(void*, int64_t, int)) {
  auto* buffer = static_cast<unsigned char*>(av_malloc(buffer_bytes));
  if (!buffer)
    throw std::bad_alloc{};
  auto* ctx = avio_alloc_context(buffer, buffer_bytes, write ? 1 : 0, opaque,
                                 read, write_fn, seek);
  if (!ctx) {
    av_free(buffer);
    throw std::bad_alloc{};
  }
  return ctx;
}

void free_context(AVIOContext*& ctx) {
  if (!ctx)
    return;
  // The context may have replaced the buffer it was given.
  av_freep(&ctx->buffer);
  avio_context_free(&ctx);
}

// Resolves a seek request against `size`; -1 when it leaves [0, size].
int64_t seek_target(int64_t position, int64_t size, int64_t offset,
                    int whence) {
  int64_t base = 0;
  switch (whence & ~AVSEEK_FORCE) {
  case SEEK_SET:
    base = 0;
    break;
  case SEEK_CUR:
    base = position;
    break;
  case SEEK_END:
    base = size;
    break;
  default:
    return -1;
  }
  if (offset > size - base || offset < -base)
    return -1;
  return base + offset;
}

} // namespace

memory_reader::memory_reader(std::string_view bytes,
                             std::chrono::steady_clock::time_point deadline)
    : bytes_(bytes), budget_(reread_factor * static_cast<int64_t>(bytes.size())
                             + reread_slack_bytes),
      deadline_(deadline),
      context_(make_context(false, this, &memory_reader::read, nullptr,
                            &memory_reader::seek)) {
}

memory_reader::~memory_reader() {
  free_context(context_);
}

bool memory_reader::exhausted() const {
  return delivered_ > budget_ || std::chrono::steady_clock::now() > deadline_;
}

int memory_reader::read(void* opaque, uint8_t* buffer, int size) {
  auto& self = *static_cast<memory_reader*>(opaque);
  if (self.exhausted())
    return AVERROR_EXIT;
  auto total = static_cast<int64_t>(self.bytes_.size());
  auto count = std::min<int64_t>(size, total - self.position_);
  if (count <= 0)
    return AVERROR_EOF;
  std::memcpy(buffer, self.bytes_.data() + self.position_,
              static_cast<size_t>(count));
  self.position_ += count;
  self.delivered_ += count;
  return static_cast<int>(count);
}

int64_t memory_reader::seek(void* opaque, int64_t offset, int whence) {
  auto& self = *static_cast<memory_reader*>(opaque);
  auto total = static_cast<int64_t>(self.bytes_.size());
  if (whence & AVSEEK_SIZE)
    return total;
  auto target = seek_target(self.position_, total, offset, whence);
  if (target < 0)
    return AVERROR(EINVAL);
  self.position_ = target;
  return target;
}

memory_writer::memory_writer()
    : context_(make_context(true, this, nullptr, &memory_writer::write,
                            &memory_writer::seek)) {
}

memory_writer::~memory_writer() {
  free_context(context_);
}

std::string memory_writer::take() {
  avio_flush(context_);
  return std::move(bytes_);
}

int memory_writer::write(void* opaque, uint8_t* buffer, int size) {
  auto& self = *static_cast<memory_writer*>(opaque);
  auto end = self.position_ + size;
  if (end > static_cast<int64_t>(self.bytes_.size()))
    self.bytes_.resize(static_cast<size_t>(end));
  std::memcpy(self.bytes_.data() + self.position_, buffer,
              static_cast<size_t>(size));
  self.position_ = end;
  return size;
}

int64_t memory_writer::seek(void* opaque, int64_t offset, int whence) {
  auto& self = *static_cast<memory_writer*>(opaque);
  auto total = static_cast<int64_t>(self.bytes_.size());
  if (whence & AVSEEK_SIZE)
    return total;
  auto target = seek_target(self.position_, total, offset, whence);
  if (target < 0)
    return AVERROR(EINVAL);
  self.position_ = target;
  return target;
}

} // namespace parley::ffmpeg

// The only code that links libsentencepiece. It is built as its own shared
// library and loaded with RTLD_DEEPBIND by sentencepiece_model.cpp.
//
// Why: Debian's libsentencepiece embeds a private copy of protobuf-lite and
// exports its symbols, which clash with the system libprotobuf that libtorch
// loads; a process linking both crashes before main(). Loaded this way,
// sentencepiece binds to its own protobuf and the rest of the process never
// sees it. The interface is plain C so nothing C++ crosses the boundary.

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <sentencepiece_processor.h>

namespace {

using processor = sentencepiece::SentencePieceProcessor;

void copy_message(const std::string& text, char* out, size_t capacity) {
  if (capacity == 0)
    return;
  auto n = std::min(text.size(), capacity - 1);
  std::memcpy(out, text.data(), n);
  out[n] = '\0';
}

} // namespace

extern "C" {

/// Loads a model; on failure returns null and writes why into `error`.
void* parley_spm_load(const char* path, char* error, size_t error_capacity) {
  auto* model = new processor();
  auto status = model->Load(path);
  if (!status.ok()) {
    copy_message(status.ToString(), error, error_capacity);
    delete model;
    return nullptr;
  }
  return model;
}

void parley_spm_free(void* model) {
  delete static_cast<processor*>(model);
}

int32_t parley_spm_piece_size(const void* model) {
  return static_cast<const processor*>(model)->GetPieceSize();
}

int32_t parley_spm_unk_id(const void* model) {
  return static_cast<const processor*>(model)->unk_id();
}

int parley_spm_is_control(const void* model, int32_t id) {
  return static_cast<const processor*>(model)->IsControl(id) ? 1 : 0;
}

int parley_spm_is_unknown(const void* model, int32_t id) {
  return static_cast<const processor*>(model)->IsUnknown(id) ? 1 : 0;
}

/// Encodes `text` into piece ids. Writes at most `capacity` ids into `out`
/// and returns how many there are (call again with more room if that is
/// more than `capacity`), or -1 on failure.
int64_t parley_spm_encode(const void* model, const char* text, size_t length,
                          int32_t* out, size_t capacity) {
  std::vector<int> ids;
  auto status = static_cast<const processor*>(model)->Encode(
      std::string{text, length}, &ids);
  if (!status.ok())
    return -1;
  for (size_t i = 0; i < ids.size() && i < capacity; ++i)
    out[i] = ids[i];
  return static_cast<int64_t>(ids.size());
}

/// Decodes piece ids into text, with the same calling convention.
int64_t parley_spm_decode(const void* model, const int32_t* ids, size_t count,
                          char* out, size_t capacity) {
  std::vector<int> pieces(ids, ids + count);
  std::string text;
  auto status = static_cast<const processor*>(model)->Decode(pieces, &text);
  if (!status.ok())
    return -1;
  std::memcpy(out, text.data(), std::min(text.size(), capacity));
  return static_cast<int64_t>(text.size());
}

} // extern "C"

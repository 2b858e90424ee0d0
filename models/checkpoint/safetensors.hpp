#pragma once

// The safetensors format: an 8-byte little-endian header length N, N bytes of
// JSON header (name → dtype, shape, data_offsets; optional "__metadata__"),
// then the raw little-endian tensor data. Files are read by memory-mapping
// them, so tensors are views into the mapping and nothing is copied.

#include <cstdio>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/checkpoint/tensor.hpp"

namespace parley {

/// A memory-mapped safetensors file. Move-only; unmaps in its destructor.
/// Moving keeps every tensor_view valid (the mapping itself does not move).
class safetensors_file {
public:
  /// Maps and validates `path`; throws checkpoint_error naming the file and
  /// the problem (truncated, corrupt header, unknown dtype, bad offsets, …).
  explicit safetensors_file(const std::string& path);
  ~safetensors_file();
  safetensors_file(safetensors_file&& other) noexcept;
  safetensors_file& operator=(safetensors_file&& other) noexcept;
  safetensors_file(const safetensors_file&) = delete;
  safetensors_file& operator=(const safetensors_file&) = delete;

  /// The tensor called `name`, or nullptr if the file has none.
  const tensor_view* find(const std::string& name) const;
  /// Every tensor, in the order of its data in the file.
  const std::vector<tensor_view>& tensors() const {
    return tensors_;
  }
  /// The header's "__metadata__" (empty when absent).
  const std::map<std::string, std::string>& metadata() const {
    return metadata_;
  }
  const std::string& path() const {
    return path_;
  }

private:
  void parse_header(size_t header_bytes);
  void unmap() noexcept;

  std::string path_;
  void* mapping_ = nullptr;
  size_t size_ = 0;
  std::vector<tensor_view> tensors_;
  std::unordered_map<std::string, size_t> index_;
  std::map<std::string, std::string> metadata_;
};

/// Writes a safetensors file tensor by tensor, so a checkpoint larger than
/// memory can be written: the header goes first, then the bytes of each
/// tensor in the order of `specs`, in as many write() calls as the caller
/// likes. A writer destroyed before finish() removes its partial file.
class safetensors_writer {
public:
  /// Creates `path` and writes the header (padded with spaces to a multiple
  /// of 8 bytes, as the reference writer does).
  safetensors_writer(const std::string& path, std::vector<tensor_spec> specs,
                     const std::map<std::string, std::string>& metadata = {});
  ~safetensors_writer();
  safetensors_writer(const safetensors_writer&) = delete;
  safetensors_writer& operator=(const safetensors_writer&) = delete;

  /// Appends `bytes` bytes of tensor `name`, which must be the tensor now
  /// due; a tensor may arrive in several pieces. Throws checkpoint_error on
  /// a name out of order, too many bytes or a failed write.
  void write(const std::string& name, const void* data, size_t bytes);
  /// Checks that every tensor is complete and closes the file.
  void finish();

private:
  [[noreturn]] void fail(const std::string& problem);

  std::string path_;
  std::vector<tensor_spec> specs_;
  std::FILE* file_ = nullptr;
  size_t current_ = 0;
  size_t written_ = 0;
};

/// Writes `tensors` (in the given order) and `metadata` to `path` as one
/// safetensors file.
void write_safetensors(const std::string& path,
                       const std::vector<tensor_view>& tensors,
                       const std::map<std::string, std::string>& metadata = {});

} // namespace parley

#include "models/checkpoint/safetensors.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

#include <nlohmann/json.hpp>

namespace parley {

namespace {

// No real checkpoint header comes near this; a larger value means the first
// eight bytes are not a safetensors header length at all.
constexpr uint64_t max_header_bytes = 100ull * 1024 * 1024;

uint64_t read_le64(const unsigned char* p) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i)
    value = (value << 8) | p[i];
  return value;
}

struct located_tensor {
  tensor_view view;
  uint64_t begin = 0;
  uint64_t end = 0;
};

} // namespace

safetensors_file::safetensors_file(const std::string& path) : path_(path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw checkpoint_error(path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    auto message = path + ": cannot stat: " + std::strerror(errno);
    ::close(fd);
    throw checkpoint_error(message);
  }
  size_ = static_cast<size_t>(st.st_size);
  if (size_ < 8) {
    ::close(fd);
    throw checkpoint_error(path + ": file is " + std::to_string(size_)
                           + " bytes, shorter than the 8-byte header length");
  }
  mapping_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
  int map_errno = errno;
  ::close(fd);
  if (mapping_ == MAP_FAILED) {
    mapping_ = nullptr;
    throw checkpoint_error(path + ": cannot map: " + std::strerror(map_errno));
  }
  try {
    auto header_bytes = read_le64(static_cast<const unsigned char*>(mapping_));
    if (header_bytes > max_header_bytes)
      throw checkpoint_error(path + ": header length "
                             + std::to_string(header_bytes)
                             + " is absurd (over 100 MB); not a safetensors "
                               "file?");
    if (header_bytes > size_ - 8)
      throw checkpoint_error(
          path + ": header length " + std::to_string(header_bytes)
          + " is larger than the file (" + std::to_string(size_)
          + " bytes); the file is truncated");
    parse_header(static_cast<size_t>(header_bytes));
  } catch (...) {
    unmap();
    throw;
  }
}

safetensors_file::~safetensors_file() {
  unmap();
}

safetensors_file::safetensors_file(safetensors_file&& other) noexcept
    : path_(std::move(other.path_)),
      mapping_(std::exchange(other.mapping_, nullptr)),
      size_(std::exchange(other.size_, 0)), tensors_(std::move(other.tensors_)),
      index_(std::move(other.index_)), metadata_(std::move(other.metadata_)) {
}

safetensors_file&
safetensors_file::operator=(safetensors_file&& other) noexcept {
  if (this != &other) {
    unmap();
    path_ = std::move(other.path_);
    mapping_ = std::exchange(other.mapping_, nullptr);
    size_ = std::exchange(other.size_, 0);
    tensors_ = std::move(other.tensors_);
    index_ = std::move(other.index_);
    metadata_ = std::move(other.metadata_);
  }
  return *this;
}

void safetensors_file::unmap() noexcept {
  if (mapping_ != nullptr)
    ::munmap(mapping_, size_);
  mapping_ = nullptr;
}

const tensor_view* safetensors_file::find(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &tensors_[it->second];
}

void safetensors_file::parse_header(size_t header_bytes) {
  const char* base = static_cast<const char*>(mapping_);
  const char* data = base + 8 + header_bytes;
  const uint64_t data_bytes = size_ - 8 - header_bytes;
  auto fail = [&](const std::string& problem) -> checkpoint_error {
    return checkpoint_error(path_ + ": " + problem);
  };

  nlohmann::json header;
  try {
    header = nlohmann::json::parse(base + 8, data);
  } catch (const nlohmann::json::exception& e) {
    throw fail(std::string{"header is not valid JSON: "} + e.what());
  }
  if (!header.is_object())
    throw fail("header is not a JSON object");

  std::vector<located_tensor> found;
  for (auto& [name, entry] : header.items()) {
    if (name == "__metadata__") {
      if (!entry.is_object())
        throw fail("__metadata__ is not an object");
      for (auto& [key, value] : entry.items()) {
        if (!value.is_string())
          throw fail("__metadata__ value of \"" + key + "\" is not a string");
        metadata_[key] = value.get<std::string>();
      }
      continue;
    }
    auto where = "tensor " + name + ": ";
    if (!entry.is_object())
      throw fail(where + "entry is not an object");
    if (!entry.contains("dtype") || !entry["dtype"].is_string())
      throw fail(where + "missing dtype");
    auto dtype_name = entry["dtype"].get<std::string>();
    auto dtype = dtype_from_string(dtype_name);
    if (!dtype)
      throw fail(where + "unknown dtype \"" + dtype_name + "\"");

    located_tensor t;
    t.view.name = name;
    t.view.dtype = *dtype;
    if (!entry.contains("shape") || !entry["shape"].is_array())
      throw fail(where + "shape is not a list");
    uint64_t numel = 1;
    for (auto& dim : entry["shape"]) {
      if (!dim.is_number_unsigned())
        throw fail(where + "shape " + entry["shape"].dump()
                   + " is not a list of non-negative integers");
      auto d = dim.get<uint64_t>();
      if (d > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())
          || (d != 0 && numel > std::numeric_limits<uint64_t>::max() / 16 / d))
        throw fail(where + "shape " + entry["shape"].dump() + " is too large");
      numel *= d;
      t.view.shape.push_back(static_cast<int64_t>(d));
    }

    const auto offsets = entry.value("data_offsets", nlohmann::json{});
    if (!offsets.is_array() || offsets.size() != 2
        || !offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned())
      throw fail(where + "data_offsets is not [begin, end]");
    t.begin = offsets[0].get<uint64_t>();
    t.end = offsets[1].get<uint64_t>();
    if (t.begin > t.end)
      throw fail(where + "data_offsets [" + std::to_string(t.begin) + ", "
                 + std::to_string(t.end) + "] has begin after end");
    if (t.end > data_bytes)
      throw fail(where + "data ends at byte " + std::to_string(t.end)
                 + " but the file holds only " + std::to_string(data_bytes)
                 + " bytes of data; the file is truncated");
    auto expected = numel * dtype_size(*dtype);
    if (t.end - t.begin != expected)
      throw fail(where + "holds " + std::to_string(t.end - t.begin)
                 + " bytes but shape " + shape_to_string(t.view.shape) + " of "
                 + dtype_name + " needs " + std::to_string(expected));
    t.view.data = data + t.begin;
    t.view.bytes = static_cast<size_t>(t.end - t.begin);
    found.push_back(std::move(t));
  }

  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  for (size_t i = 1; i < found.size(); ++i)
    if (found[i].begin < found[i - 1].end)
      throw fail("tensors " + found[i - 1].view.name + " and "
                 + found[i].view.name + " overlap");

  tensors_.reserve(found.size());
  for (auto& t : found) {
    index_.emplace(t.view.name, tensors_.size());
    tensors_.push_back(std::move(t.view));
  }
}

} // namespace parley

#include "models/checkpoint/safetensors.hpp"

#include <cerrno>
#include <cstring>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

namespace parley {

namespace {

std::string make_header(const std::vector<tensor_spec>& specs,
                        const std::map<std::string, std::string>& metadata) {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty())
    header["__metadata__"] = metadata;
  size_t offset = 0;
  for (const auto& spec : specs) {
    auto end = offset + spec.bytes();
    header[spec.name] = {{"dtype", to_string(spec.dtype)},
                         {"shape", spec.shape},
                         {"data_offsets", {offset, end}}};
    offset = end;
  }
  auto text = header.dump();
  // Padding keeps the data 8-byte aligned in the mapping.
  text.append((8 - text.size() % 8) % 8, ' ');
  return text;
}

} // namespace

safetensors_writer::safetensors_writer(
    const std::string& path, std::vector<tensor_spec> specs,
    const std::map<std::string, std::string>& metadata)
    : path_(path), specs_(std::move(specs)) {
  std::set<std::string> names;
  for (const auto& spec : specs_)
    if (spec.name == "__metadata__" || !names.insert(spec.name).second)
      throw checkpoint_error(path_ + ": tensor name " + spec.name
                             + " is reserved or repeated");
  auto header = make_header(specs_, metadata);
  file_ = std::fopen(path_.c_str(), "wb");
  if (file_ == nullptr)
    throw checkpoint_error(path_ + ": cannot create: " + std::strerror(errno));
  unsigned char length[8];
  uint64_t n = header.size();
  for (int i = 0; i < 8; ++i)
    length[i] = static_cast<unsigned char>(n >> (8 * i));
  if (std::fwrite(length, 1, 8, file_) != 8
      || std::fwrite(header.data(), 1, header.size(), file_) != header.size())
    fail(std::string{"cannot write the header: "} + std::strerror(errno));
  while (current_ < specs_.size() && specs_[current_].bytes() == 0)
    ++current_;
}

safetensors_writer::~safetensors_writer() {
  if (file_ != nullptr) {
    std::fclose(file_);
    std::remove(path_.c_str());
  }
}

void safetensors_writer::fail(const std::string& problem) {
  if (file_ != nullptr) {
    std::fclose(file_);
    file_ = nullptr;
    std::remove(path_.c_str());
  }
  throw checkpoint_error(path_ + ": " + problem);
}

void safetensors_writer::write(const std::string& name, const void* data,
                               size_t bytes) {
  if (file_ == nullptr)
    throw checkpoint_error(path_ + ": write after finish or failure");
  if (bytes == 0)
    return;
  if (current_ >= specs_.size())
    fail("tensor " + name + " written after the last tensor");
  const auto& spec = specs_[current_];
  if (name != spec.name)
    fail("tensor " + name + " written when " + spec.name + " is due");
  if (written_ + bytes > spec.bytes())
    fail("tensor " + name + " given " + std::to_string(written_ + bytes)
         + " bytes, more than its " + std::to_string(spec.bytes()));
  if (std::fwrite(data, 1, bytes, file_) != bytes)
    fail("cannot write tensor " + name + ": " + std::strerror(errno));
  written_ += bytes;
  if (written_ == spec.bytes()) {
    written_ = 0;
    ++current_;
    while (current_ < specs_.size() && specs_[current_].bytes() == 0)
      ++current_;
  }
}

void safetensors_writer::finish() {
  if (file_ == nullptr)
    throw checkpoint_error(path_ + ": finish after finish or failure");
  if (current_ < specs_.size())
    fail("finished before tensor " + specs_[current_].name + " was complete");
  auto* file = std::exchange(file_, nullptr);
  if (std::fclose(file) != 0) {
    std::remove(path_.c_str());
    throw checkpoint_error(path_ + ": cannot write: " + std::strerror(errno));
  }
}

void write_safetensors(const std::string& path,
                       const std::vector<tensor_view>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  std::vector<tensor_spec> specs;
  specs.reserve(tensors.size());
  for (const auto& t : tensors) {
    tensor_spec spec{t.name, t.dtype, t.shape};
    if (spec.bytes() != t.bytes)
      throw checkpoint_error(
          path + ": tensor " + t.name + " has " + std::to_string(t.bytes)
          + " bytes but shape " + shape_to_string(t.shape) + " of "
          + to_string(t.dtype) + " needs " + std::to_string(spec.bytes()));
    specs.push_back(std::move(spec));
  }
  safetensors_writer writer(path, std::move(specs), metadata);
  for (const auto& t : tensors)
    writer.write(t.name, t.data, t.bytes);
  writer.finish();
}

} // namespace parley

#include "models/text/sentencepiece_model.hpp"

#include <cstdlib>
#include <dlfcn.h>
#include <limits.h>
#include <mutex>
#include <stdexcept>
#include <unistd.h>

namespace parley {

namespace {

/// The shim's functions, resolved once per process.
struct shim_api {
  void* (*load)(const char*, char*, size_t) = nullptr;
  void (*free)(void*) = nullptr;
  int32_t (*piece_size)(const void*) = nullptr;
  int32_t (*unk_id)(const void*) = nullptr;
  int (*is_control)(const void*, int32_t) = nullptr;
  int (*is_unknown)(const void*, int32_t) = nullptr;
  int64_t (*encode)(const void*, const char*, size_t, int32_t*,
                    size_t) = nullptr;
  int64_t (*decode)(const void*, const int32_t*, size_t, char*,
                    size_t) = nullptr;
};

constexpr const char* shim_file = "libparley_sentencepiece.so";

/// The shim sits beside the executable (build/bin) or, installed from the
/// package, in lib/parley beside its bin (/usr/lib/parley), unless
/// PARLEY_SENTENCEPIECE_SHIM names it.
std::string shim_path() {
  if (const char* path = std::getenv("PARLEY_SENTENCEPIECE_SHIM"))
    return path;
  char exe[PATH_MAX] = {};
  auto length = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  std::string dir{exe, length > 0 ? static_cast<size_t>(length) : 0};
  dir = dir.substr(0, dir.rfind('/') + 1);
  auto beside = dir + shim_file;
  if (access(beside.c_str(), F_OK) == 0)
    return beside;
  return dir + "../lib/parley/" + shim_file;
}

template <class F> void resolve(void* library, const char* name, F& target) {
  target = reinterpret_cast<F>(dlsym(library, name));
  if (target == nullptr)
    throw std::runtime_error(std::string{"sentencepiece shim lacks "} + name);
}

const shim_api& api() {
  static std::once_flag once;
  static shim_api functions;
  static std::string failure;
  std::call_once(once, [] {
    auto path = shim_path();
    // DEEPBIND: the shim and libsentencepiece resolve their own symbols
    // first; LOCAL: nothing else in the process sees them.
    auto* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
    if (library == nullptr) {
      failure = "cannot load " + path + ": " + dlerror();
      return;
    }
    try {
      resolve(library, "parley_spm_load", functions.load);
      resolve(library, "parley_spm_free", functions.free);
      resolve(library, "parley_spm_piece_size", functions.piece_size);
      resolve(library, "parley_spm_unk_id", functions.unk_id);
      resolve(library, "parley_spm_is_control", functions.is_control);
      resolve(library, "parley_spm_is_unknown", functions.is_unknown);
      resolve(library, "parley_spm_encode", functions.encode);
      resolve(library, "parley_spm_decode", functions.decode);
    } catch (const std::exception& e) {
      failure = e.what();
    }
  });
  if (!failure.empty())
    throw std::runtime_error(failure);
  return functions;
}

} // namespace

sentencepiece_model::sentencepiece_model(const std::string& path) {
  char error[512] = {};
  model_ = api().load(path.c_str(), error, sizeof(error));
  if (model_ == nullptr)
    throw std::runtime_error("cannot load sentencepiece model " + path + ": "
                             + error);
}

sentencepiece_model::~sentencepiece_model() {
  if (model_ != nullptr)
    api().free(model_);
}

sentencepiece_model::sentencepiece_model(sentencepiece_model&& other) noexcept
    : model_(other.model_) {
  other.model_ = nullptr;
}

sentencepiece_model&
sentencepiece_model::operator=(sentencepiece_model&& other) noexcept {
  std::swap(model_, other.model_);
  return *this;
}

int32_t sentencepiece_model::piece_size() const {
  return api().piece_size(model_);
}

int32_t sentencepiece_model::unk_id() const {
  return api().unk_id(model_);
}

bool sentencepiece_model::is_control(int32_t id) const {
  return api().is_control(model_, id) != 0;
}

bool sentencepiece_model::is_unknown(int32_t id) const {
  return api().is_unknown(model_, id) != 0;
}

std::vector<int32_t> sentencepiece_model::encode(std::string_view text) const {
  std::vector<int32_t> ids(text.size() + 8);
  for (;;) {
    auto count =
        api().encode(model_, text.data(), text.size(), ids.data(), ids.size());
    if (count < 0)
      throw std::runtime_error("sentencepiece could not encode the text");
    if (static_cast<size_t>(count) <= ids.size()) {
      ids.resize(static_cast<size_t>(count));
      return ids;
    }
    ids.resize(static_cast<size_t>(count));
  }
}

std::string sentencepiece_model::decode(const std::vector<int32_t>& ids) const {
  std::string text(ids.size() * 8 + 16, '\0');
  for (;;) {
    auto length =
        api().decode(model_, ids.data(), ids.size(), text.data(), text.size());
    if (length < 0)
      throw std::runtime_error("sentencepiece could not decode the ids");
    if (static_cast<size_t>(length) <= text.size()) {
      text.resize(static_cast<size_t>(length));
      return text;
    }
    text.resize(static_cast<size_t>(length));
  }
}

} // namespace parley

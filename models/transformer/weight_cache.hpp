#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace parley::transformer {

/// Returns the weights of the checkpoint in `dir`, calling `load()` only when
/// no replica in this process holds them already with the same `placement`
/// (compute type and device, as placement::describe names them): a device's
/// replicas share one copy. Replicas starting together wait for one load.
template <class Weights, class Load>
std::shared_ptr<const Weights>
load_shared(const std::string& dir, const std::string& placement, Load&& load) {
  static std::mutex mtx;
  static std::map<std::pair<std::string, std::string>,
                  std::weak_ptr<const Weights>>
      loaded;
  std::error_code err;
  auto key = std::make_pair(
      std::filesystem::weakly_canonical(dir, err).string(), placement);
  std::lock_guard<std::mutex> guard{mtx};
  if (auto existing = loaded[key].lock())
    return existing;
  std::shared_ptr<const Weights> weights = load();
  loaded[key] = weights;
  return weights;
}

} // namespace parley::transformer

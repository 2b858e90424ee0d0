#include "models/checkpoint/checkpoint.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

namespace parley {

namespace fs = std::filesystem;

struct checkpoint::state {
  std::string dir;
  std::string config_json;
  std::vector<std::unique_ptr<const safetensors_file>> files;
  // Points into `files`, whose tensor vectors never change once mapped.
  std::map<std::string, const tensor_view*> tensors;
};

namespace {

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw checkpoint_error(path.string() + ": cannot read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The shard file names of an index, and which shard holds each tensor.
std::map<std::string, std::string> read_weight_map(const fs::path& index) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(read_text(index));
  } catch (const nlohmann::json::exception& e) {
    throw checkpoint_error(index.string() + ": not valid JSON: " + e.what());
  }
  if (!json.is_object() || !json.contains("weight_map")
      || !json["weight_map"].is_object())
    throw checkpoint_error(index.string() + ": no \"weight_map\" object");
  std::map<std::string, std::string> weight_map;
  for (auto& [name, shard] : json["weight_map"].items()) {
    if (!shard.is_string())
      throw checkpoint_error(index.string() + ": shard of tensor " + name
                             + " is not a file name");
    auto file = shard.get<std::string>();
    if (file.empty() || file.find('/') != std::string::npos)
      throw checkpoint_error(index.string() + ": shard \"" + file
                             + "\" of tensor " + name
                             + " is not a file name in the directory");
    weight_map[name] = file;
  }
  return weight_map;
}

} // namespace

checkpoint::checkpoint(std::shared_ptr<const state> state)
    : state_(std::move(state)) {
}

checkpoint checkpoint::open(const std::string& dir) {
  auto st = std::make_shared<state>();
  st->dir = dir;
  fs::path root{dir};
  std::error_code ec;
  if (!fs::is_directory(root, ec))
    throw checkpoint_error(dir + ": not a checkpoint directory (missing)");
  if (!fs::is_regular_file(root / "config.json", ec))
    throw checkpoint_error(dir + ": missing config.json");
  st->config_json = read_text(root / "config.json");

  auto single = root / "model.safetensors";
  auto index = root / "model.safetensors.index.json";
  if (fs::is_regular_file(single, ec)) {
    st->files.push_back(std::make_unique<safetensors_file>(single.string()));
    for (const auto& t : st->files.back()->tensors())
      st->tensors[t.name] = &t;
  } else if (fs::is_regular_file(index, ec)) {
    std::map<std::string, const safetensors_file*> shards;
    for (const auto& [name, shard] : read_weight_map(index)) {
      auto& file = shards[shard];
      if (file == nullptr) {
        auto path = root / shard;
        if (!fs::is_regular_file(path, ec))
          throw checkpoint_error(dir + ": index names shard " + shard
                                 + ", which is missing");
        st->files.push_back(std::make_unique<safetensors_file>(path.string()));
        file = st->files.back().get();
      }
      auto* view = file->find(name);
      if (view == nullptr)
        throw checkpoint_error(dir + ": index places tensor " + name + " in "
                               + shard + ", which does not hold it");
      st->tensors[name] = view;
    }
  } else {
    throw checkpoint_error(
        dir + ": no model.safetensors and no model.safetensors.index.json");
  }
  return checkpoint{std::move(st)};
}

const std::string& checkpoint::dir() const {
  return state_->dir;
}

const std::string& checkpoint::config_json() const {
  return state_->config_json;
}

const tensor_view* checkpoint::find(const std::string& name) const {
  auto it = state_->tensors.find(name);
  return it == state_->tensors.end() ? nullptr : it->second;
}

const tensor_view& checkpoint::at(const std::string& name) const {
  auto* view = find(name);
  if (view == nullptr)
    throw checkpoint_error(state_->dir + ": missing tensor " + name);
  return *view;
}

const tensor_view&
checkpoint::at(const std::string& name,
               const std::vector<int64_t>& expected_shape) const {
  const auto& view = at(name);
  if (view.shape != expected_shape)
    throw checkpoint_error(state_->dir + ": tensor " + name + " has shape "
                           + shape_to_string(view.shape) + ", expected "
                           + shape_to_string(expected_shape));
  return view;
}

std::vector<std::string> checkpoint::names() const {
  std::vector<std::string> names;
  names.reserve(state_->tensors.size());
  for (const auto& [name, view] : state_->tensors)
    names.push_back(name);
  return names;
}

} // namespace parley

#include "tools/checkpoint_kinds.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "models/golden.hpp"

namespace parley {

namespace {

namespace fs = std::filesystem;

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush())
    throw std::runtime_error(path.string() + ": cannot write");
}

const model_kind* kind_of_shape(const backend_registry& kinds,
                                const std::string& shape) {
  for (const auto* kind : kinds.declarations())
    if (kind->checkpoint.shapes != nullptr)
      for (const auto& name : kind->checkpoint.shapes())
        if (name == shape)
          return kind;
  return nullptr;
}

} // namespace

const model_kind& checkpoint_kind(const backend_registry& kinds,
                                  const std::string& dir, model_task task) {
  auto type = checkpoint_model_type(dir);
  const auto* kind = kinds.checkpoint_kind(type, task);
  if (kind == nullptr)
    throw std::runtime_error(dir + ": no " + to_string(task)
                             + " kind loads model_type '" + type + "'");
  return *kind;
}

model_config checkpoint_model(const backend_registry& kinds,
                              const std::string& dir) {
  model_config model;
  model.name = fs::path{dir}.filename().string();
  if (model.name.empty())
    model.name = "checkpoint";
  model.kind = checkpoint_kind(kinds, dir, model_task::translation).name;
  model.options.set("path", dir);
  return model;
}

std::vector<std::string> checkpoint_shapes(const backend_registry& kinds) {
  std::vector<std::string> result;
  for (const auto* kind : kinds.declarations())
    if (kind->checkpoint.shapes != nullptr)
      for (const auto& name : kind->checkpoint.shapes())
        result.push_back(name);
  return result;
}

written_checkpoint
write_random_checkpoint(const backend_registry& kinds, const std::string& shape,
                        const std::string& dir, tensor_dtype dtype,
                        uint64_t seed, const std::string& tokenizer,
                        const progress_callback& on_progress) {
  const auto* kind = kind_of_shape(kinds, shape);
  if (kind == nullptr)
    throw std::invalid_argument("unknown shape '" + shape + "'");
  const auto& hooks = kind->checkpoint;
  if (!tokenizer.empty() && hooks.tokenizer_file.empty())
    throw std::invalid_argument("kind " + kind->name
                                + " takes no tokenizer model");
  auto checkpoint = hooks.make_random(shape, dtype);
  fs::path out{dir};
  fs::create_directories(out);
  for (const auto& [name, text] : checkpoint.files)
    write_text(out / name, text);
  if (!tokenizer.empty())
    fs::copy_file(tokenizer, out / hooks.tokenizer_file,
                  fs::copy_options::overwrite_existing);
  written_checkpoint result;
  result.weights = (out / "model.safetensors").string();
  write_random_safetensors(result.weights, checkpoint.tensors, checkpoint.rule,
                           seed, on_progress, {{"format", "pt"}});
  result.tensors = checkpoint.tensors.size();
  for (const auto& spec : checkpoint.tensors)
    result.parameters += shape_numel(spec.shape);
  return result;
}

} // namespace parley

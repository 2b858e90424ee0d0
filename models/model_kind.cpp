#include "models/model_kind.hpp"

#include <stdexcept>

#include "models/transformer/device_check.hpp"

namespace parley {

namespace {

bool parses_whole(const std::string& text, bool integer) {
  if (text.empty())
    return false;
  try {
    size_t used = 0;
    if (integer)
      std::stoll(text, &used);
    else
      std::stod(text, &used);
    return used == text.size();
  } catch (const std::exception&) {
    return false;
  }
}

std::string joined(const std::vector<std::string>& items) {
  std::string result;
  for (const auto& item : items)
    result += (result.empty() ? "" : ", ") + item;
  return result;
}

std::string known_keys(const model_kind& kind) {
  std::vector<std::string> keys;
  for (const auto& option : kind.options)
    keys.push_back(option.key);
  for (const auto& option : common_model_options())
    keys.push_back(option.key);
  return joined(keys);
}

} // namespace

const char* to_string(option_type type) {
  switch (type) {
  case option_type::integer:
    return "integer";
  case option_type::real:
    return "number";
  case option_type::boolean:
    return "boolean";
  case option_type::text:
    return "string";
  case option_type::choice:
    return "choice";
  }
  return "?";
}

const std::vector<option_declaration>& common_model_options() {
  static const std::vector<option_declaration> options{
      {"nice", option_type::integer, "0",
       "CPU priority of the model's threads, 0-19; 19 also means SCHED_IDLE "
       "(19 is the default of speech models)"},
  };
  return options;
}

std::vector<option_declaration>
checkpoint_decoder_options(const std::string& files) {
  return {
      {"path", option_type::text, "",
       "checkpoint directory (required): " + files},
      {"compute_type",
       option_type::choice,
       "auto",
       "the precision of the Linear layers; auto picks the fastest for this "
       "CPU, float16 on CUDA (see \"Compute types\")",
       {"auto", "float32", "bfloat16", "int8", "int8_bfloat16", "float16"}},
      {"quantize",
       option_type::choice,
       "none",
       "legacy: int8 means compute_type int8",
       {"none", "int8"}},
      {"threads", option_type::integer, "0",
       "intra-op threads for this model (0: libtorch's)"},
      {"device", option_type::text, "cpu",
       "cpu, cuda, cuda:N or auto (CUDA when libtorch sees a device); a CUDA "
       "device libtorch lacks stops parleyd at start"},
      {"device_max_batch", option_type::integer, "64",
       "largest batch a replica on a CUDA device announces to its pool (on "
       "the CPU the model's max_batch)"},
      {"num_beams", option_type::integer, "1", "beam width; 1 is greedy"},
  };
}

bool model_kind::has_factory() const {
  return std::visit([](auto make) { return make != nullptr; }, factory);
}

const option_declaration* model_kind::option(const std::string& key) const {
  for (const auto* list : {&options, &common_model_options()})
    for (const auto& declared : *list)
      if (declared.key == key)
        return &declared;
  return nullptr;
}

bool value_fits(const option_declaration& declared, const std::string& value) {
  switch (declared.type) {
  case option_type::integer:
    return parses_whole(value, /*integer=*/true);
  case option_type::real:
    return parses_whole(value, /*integer=*/false);
  case option_type::boolean:
    return value == "true" || value == "false";
  case option_type::text:
    return true;
  case option_type::choice:
    for (const auto& choice : declared.choices)
      if (choice == value)
        return true;
    return false;
  }
  return false;
}

std::string expected_value(const option_declaration& declared) {
  if (declared.type == option_type::choice)
    return "one of " + joined(declared.choices);
  return std::string{"a"} + (declared.type == option_type::integer ? "n " : " ")
         + to_string(declared.type);
}

void check_model_options(const model_kind& kind, const std::string& model,
                         const backend_options& options, size_t replicas) {
  auto where = "models." + model + ".";
  for (const auto& [key, value] : options.values()) {
    const auto* declared = kind.option(key);
    if (declared == nullptr)
      throw std::invalid_argument(where + key + ": unknown option of kind "
                                  + kind.name + " (known: " + known_keys(kind)
                                  + ")");
    if (!value_fits(*declared, value))
      throw std::invalid_argument(where + key + " must be "
                                  + expected_value(*declared) + ", not '"
                                  + value + "'");
  }
  if (kind.check_device != nullptr)
    kind.check_device(model, options);
  if (kind.max_replicas > 0 && replicas > kind.max_replicas)
    throw std::invalid_argument(where + "replicas: kind " + kind.name
                                + " takes at most "
                                + std::to_string(kind.max_replicas) + " (not "
                                + std::to_string(replicas) + ")");
}

void check_neural_device(const std::string& model,
                         const backend_options& options) {
  transformer::require_device("models." + model + ".device",
                              options.get_string("device", "cpu"));
}

size_t neural_announced_batch(const backend_options& options) {
  if (!transformer::runs_on_cuda(options.get_string("device", "cpu")))
    return 0;
  auto batch = options.get_int("device_max_batch", 64);
  return batch > 0 ? static_cast<size_t>(batch) : 0;
}

} // namespace parley

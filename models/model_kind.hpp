#pragma once

// The single declaration of a model kind: what it does, how it is built, the
// options its configuration table takes, its limits, and, for kinds that load
// checkpoints, the hooks of the `parley` tools. Each file in models/backends/
// returns one from `<kind>_kind()`, listed in models/backend_kinds.def.

#include <cstddef>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "messages/replica.hpp"
#include "models/backend.hpp"
#include "models/checkpoint_hooks.hpp"
#include "models/speech_backend.hpp"

namespace parley {

/// The type of an option's value, checked when the configuration is loaded.
enum class option_type {
  /// A whole number (`threads = 2`).
  integer,
  /// A number, whole or not (`length_penalty = 1.2`).
  real,
  /// `true` or `false`.
  boolean,
  /// Any text (`path = "/models/nllb"`).
  text,
  /// One text among `choices` (`quantize = "int8"`).
  choice,
};

const char* to_string(option_type type);

/// One key a model table may hold for this kind.
struct option_declaration {
  option_declaration(std::string key, option_type type, std::string fallback,
                     std::string help, std::vector<std::string> choices = {})
      : key(std::move(key)), type(type), fallback(std::move(fallback)),
        help(std::move(help)), choices(std::move(choices)) {
  }

  std::string key;
  option_type type = option_type::text;
  /// The value used when the key is absent, as written in docs/models.md
  /// ("" when there is none or it is computed).
  std::string fallback;
  /// One line for the configuration reference.
  std::string help;
  /// The values of an `option_type::choice`.
  std::vector<std::string> choices;
};

/// How a replica's backend is built: one factory, whose type is the kind's
/// task (the alternatives follow `model_task`'s order).
using kind_factory =
    std::variant<backend_factory, transcription_factory, synthesis_factory>;

/// A model kind, declared once in its own file.
struct model_kind {
  /// Its name in configuration (`kind = "nllb"`).
  std::string name;
  /// One line for the list of kinds in docs/models.md.
  std::string summary;
  /// Its factory; the alternative it holds is its task.
  kind_factory factory;
  /// Every option key besides those every model takes (see
  /// `common_model_options`). Any other key is a configuration error.
  std::vector<option_declaration> options;
  /// Most replicas one model of this kind may have; 0 is no limit.
  size_t max_replicas = 0;
  /// The tools' hooks, for kinds that load checkpoints.
  checkpoint_hooks checkpoint;
  /// Checks what option types cannot: that the device the options name is
  /// here. Throws std::invalid_argument naming `models.<model>.device`. Null
  /// for kinds that run only on the CPU.
  void (*check_device)(const std::string& model,
                       const backend_options& options) = nullptr;
  /// The largest batch a replica built from `options` announces to its pool,
  /// 0 for the pool's `max_batch` (a GPU replica takes larger batches).
  size_t (*announced_batch)(const backend_options& options) = nullptr;

  /// What its replicas do: the task of its factory.
  model_task task() const {
    return static_cast<model_task>(factory.index());
  }

  /// True when its factory is set.
  bool has_factory() const;

  /// The declaration of `key`, among the kind's and the common options, or
  /// nullptr.
  const option_declaration* option(const std::string& key) const;
};

/// Options every model takes, read by its actor rather than its backend.
const std::vector<option_declaration>& common_model_options();

/// The options of the kinds that decode a checkpoint on libtorch (nllb,
/// whisper): path, quantize, compute_type, threads, device,
/// device_max_batch, num_beams. `files` says
/// what the directory at `path` holds.
std::vector<option_declaration>
checkpoint_decoder_options(const std::string& files);

/// The neural kinds' check_device: `device` resolves here.
void check_neural_device(const std::string& model,
                         const backend_options& options);

/// The neural kinds' announced_batch: `device_max_batch` on a CUDA device,
/// 0 on the CPU.
size_t neural_announced_batch(const backend_options& options);

/// True when `value` (as configuration text) is of `declared`'s type.
bool value_fits(const option_declaration& declared, const std::string& value);

/// "an integer", "a boolean", "one of none, int8", … for error messages.
std::string expected_value(const option_declaration& declared);

/// Checks one model's options and replica count against `kind`: every key
/// declared, every value of its declared type, replicas within the limit.
/// Throws `std::invalid_argument` naming `models.<model>.<key>`; for an
/// unknown key the message lists the keys the kind knows.
void check_model_options(const model_kind& kind, const std::string& model,
                         const backend_options& options, size_t replicas);

} // namespace parley

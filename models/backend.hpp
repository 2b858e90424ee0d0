#pragma once

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "messages/translation.hpp"

namespace parley {

/// Kind-specific settings of one model, as written in its configuration
/// table (`[models.NAME]`). Values are kept as text and parsed on access.
class backend_options {
public:
  backend_options() = default;
  explicit backend_options(std::map<std::string, std::string> values);

  /// Returns the value of `key`, or `fallback` when it is not set.
  std::string get_string(const std::string& key,
                         const std::string& fallback) const;
  /// Throws `std::invalid_argument` when the value is not an integer.
  long long get_int(const std::string& key, long long fallback) const;
  /// Accepts `true`/`false`; throws `std::invalid_argument` otherwise.
  bool get_bool(const std::string& key, bool fallback) const;

  void set(const std::string& key, std::string value);
  bool contains(const std::string& key) const;
  const std::map<std::string, std::string>& values() const {
    return values_;
  }

private:
  std::map<std::string, std::string> values_;
};

/// A translation engine. The model actor that owns it calls it from one
/// thread at a time, so implementations need no locking.
class translation_backend {
public:
  virtual ~translation_backend();

  /// Translates every job of the batch; returns one output per job, in order.
  /// A job the backend cannot do gets an output with an error; exceptions
  /// are turned into `TRANSLATION_FAILED` by the model actor.
  virtual std::vector<job_output> translate(const translation_batch& batch) = 0;

  /// The pairs this backend translates (see language_routes).
  virtual language_routes routes() const = 0;
};

/// Thrown by a backend whose state is broken beyond repair (a lost device, a
/// corrupt process). The model actor dies on it and the supervisor starts a
/// fresh replica; the batch it held is retried once.
class backend_fatal : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Builds a backend from its options. Runs inside the model actor, on its own
/// thread, so it may take long (loading weights); it throws on failure.
using backend_factory =
    std::unique_ptr<translation_backend> (*)(const backend_options& options);

} // namespace parley

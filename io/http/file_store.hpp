#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>

namespace parley {

/// A file to hand back to the client that asked for it.
struct stored_file {
  /// The name the client downloads it as.
  std::string name;
  std::string content_type;
  std::string content;
};

/// How many files a `file_store` keeps, in how many bytes, for how long.
struct file_store_bounds {
  size_t max_files = 256;
  size_t max_bytes = size_t{64} << 20;
  std::chrono::seconds ttl{600};
};

/// The translated files LibreTranslate's `/translate_file` answers with a
/// link to, kept in memory (never on disk) for `/download_file`: bounded in
/// count and bytes, each for a while. Storing a file first drops the expired
/// ones, then the oldest until the new one fits. Thread-safe.
class file_store {
public:
  using clock = std::chrono::steady_clock;

  /// `now` tells the time; tests move it by hand.
  explicit file_store(file_store_bounds limits = {},
                      std::function<clock::time_point()> now = clock::now);

  /// Keeps `file` and returns its key, `<id>-<name>` with a random 128-bit
  /// hexadecimal id; empty when the file alone is over `max_bytes`.
  std::string put(stored_file file);

  /// The file stored under `key`, or null when there is none or it expired.
  std::shared_ptr<const stored_file> get(const std::string& key);

  /// The files kept and their bytes, expired ones included until the next
  /// `put` or `get` drops them.
  size_t size() const;
  size_t bytes() const;

private:
  struct entry {
    std::string key;
    std::shared_ptr<const stored_file> file;
    clock::time_point stored;
  };

  void drop_front();
  void drop_expired(clock::time_point now);
  std::string random_id();

  file_store_bounds limits_;
  std::function<clock::time_point()> now_;
  mutable std::mutex mutex_;
  /// Oldest first.
  std::list<entry> entries_;
  std::map<std::string, std::list<entry>::iterator> by_key_;
  size_t bytes_ = 0;
  std::random_device entropy_;
};

} // namespace parley

#pragma once

// The languages short texts are decided among: the configured ones plus
// every source language a running model announces. Read on every detection
// from many threads, written when a replica joins; readers never lock.

#include <atomic>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace parley::detection {

class candidate_set {
public:
  explicit candidate_set(std::vector<std::string> configured = {});

  candidate_set(const candidate_set&) = delete;
  candidate_set& operator=(const candidate_set&) = delete;

  /// Adds languages (ISO 639-1, or tags whose primary subtag is taken);
  /// known ones are skipped.
  void add(const std::vector<std::string>& languages);

  /// The candidates now, sorted; valid as long as the set lives.
  const std::vector<std::string>& snapshot() const {
    return *current_.load(std::memory_order_acquire);
  }

private:
  std::mutex writer_;
  /// Every version ever published, so that a reader's snapshot stays valid
  /// without a lock or a count: a few per model loaded, never many.
  std::deque<std::vector<std::string>> versions_;
  std::atomic<const std::vector<std::string>*> current_;
};

} // namespace parley::detection

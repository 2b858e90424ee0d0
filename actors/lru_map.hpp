#pragma once

#include <cstddef>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace parley {

/// A map from strings to values holding at most `capacity` entries; inserting
/// into a full map evicts the least recently used entry. Not thread-safe: it
/// lives inside one actor.
template <class Value> class lru_map {
public:
  lru_map() = default;

  explicit lru_map(size_t capacity) : capacity_(capacity) {
  }

  // The index views keys stored in the list nodes: copies would dangle.
  lru_map(const lru_map&) = delete;
  lru_map& operator=(const lru_map&) = delete;

  /// Changes the capacity; returns how many entries were evicted to fit.
  size_t set_capacity(size_t capacity) {
    capacity_ = capacity;
    size_t evicted = 0;
    while (order_.size() > capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
      ++evicted;
    }
    return evicted;
  }

  /// Returns the value of `key` and marks it most recently used, or nullptr.
  const Value* find(std::string_view key) {
    auto i = index_.find(key);
    if (i == index_.end())
      return nullptr;
    order_.splice(order_.begin(), order_, i->second);
    return &i->second->second;
  }

  /// Inserts or replaces `key`; returns true when another entry was evicted.
  bool put(std::string key, Value value) {
    if (capacity_ == 0)
      return false;
    auto i = index_.find(key);
    if (i != index_.end()) {
      i->second->second = std::move(value);
      order_.splice(order_.begin(), order_, i->second);
      return false;
    }
    bool evicted = false;
    if (order_.size() == capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
      evicted = true;
    }
    order_.emplace_front(std::move(key), std::move(value));
    // The index views the key stored in the list node, whose address is
    // stable until the node is erased.
    index_.emplace(order_.front().first, order_.begin());
    return evicted;
  }

  bool contains(std::string_view key) const {
    return index_.count(key) > 0;
  }

  size_t size() const {
    return order_.size();
  }

  size_t capacity() const {
    return capacity_;
  }

private:
  using entry_list = std::list<std::pair<std::string, Value>>;

  size_t capacity_ = 0;
  entry_list order_; // most recently used first
  std::unordered_map<std::string_view, typename entry_list::iterator> index_;
};

} // namespace parley

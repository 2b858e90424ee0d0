#include "io/http/file_store.hpp"

#include <cstdio>

namespace parley {

file_store::file_store(file_store_bounds limits,
                       std::function<clock::time_point()> now)
    : limits_(limits), now_(std::move(now)) {
}

std::string file_store::random_id() {
  std::string id;
  char digits[9];
  for (int i = 0; i < 4; ++i) {
    std::snprintf(digits, sizeof digits, "%08x",
                  static_cast<unsigned>(entropy_()));
    id += digits;
  }
  return id;
}

void file_store::drop_front() {
  bytes_ -= entries_.front().file->content.size();
  by_key_.erase(entries_.front().key);
  entries_.pop_front();
}

void file_store::drop_expired(clock::time_point now) {
  while (!entries_.empty() && now - entries_.front().stored >= limits_.ttl)
    drop_front();
}

std::string file_store::put(stored_file file) {
  auto size = file.content.size();
  if (size > limits_.max_bytes || limits_.max_files == 0)
    return {};
  std::lock_guard<std::mutex> guard{mutex_};
  auto now = now_();
  drop_expired(now);
  while (!entries_.empty()
         && (entries_.size() >= limits_.max_files
             || bytes_ + size > limits_.max_bytes))
    drop_front();
  auto key = random_id() + "-" + file.name;
  entries_.push_back(
      {key, std::make_shared<const stored_file>(std::move(file)), now});
  by_key_[key] = std::prev(entries_.end());
  bytes_ += size;
  return key;
}

std::shared_ptr<const stored_file> file_store::get(const std::string& key) {
  std::lock_guard<std::mutex> guard{mutex_};
  drop_expired(now_());
  auto found = by_key_.find(key);
  return found == by_key_.end() ? nullptr : found->second->file;
}

size_t file_store::size() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return entries_.size();
}

size_t file_store::bytes() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return bytes_;
}

} // namespace parley

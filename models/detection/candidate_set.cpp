#include "models/detection/candidate_set.hpp"

#include <algorithm>
#include <cctype>

namespace parley::detection {

namespace {

std::string primary_subtag(const std::string& language) {
  auto primary = language.substr(0, language.find_first_of("-_"));
  for (auto& c : primary)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return primary;
}

} // namespace

candidate_set::candidate_set(std::vector<std::string> configured) {
  versions_.emplace_back();
  current_.store(&versions_.back(), std::memory_order_release);
  add(configured);
}

void candidate_set::add(const std::vector<std::string>& languages) {
  std::lock_guard<std::mutex> guard{writer_};
  auto next = versions_.back();
  for (const auto& language : languages) {
    auto code = primary_subtag(language);
    if (code.size() < 2 || code.size() > 3)
      continue;
    if (!std::binary_search(next.begin(), next.end(), code))
      next.insert(std::lower_bound(next.begin(), next.end(), code), code);
  }
  if (next.size() == versions_.back().size())
    return;
  // A deque never moves its elements, so older snapshots stay valid.
  versions_.push_back(std::move(next));
  current_.store(&versions_.back(), std::memory_order_release);
}

} // namespace parley::detection

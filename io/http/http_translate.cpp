#include "io/http/http_translate.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/request_validation.hpp"

namespace parley {

caf::expected<std::vector<translate_request>>
requests_for(const std::vector<std::string>& texts, const std::string& source,
             const std::string& target, const text_markup& markup,
             size_t max_text_chars, const std::vector<std::string>& hints) {
  std::vector<translate_request> requests;
  for (const auto& text : texts) {
    if (auto bad = validate_text(text, max_text_chars))
      return bad;
    translate_request request;
    request.source_lang = source;
    request.target_langs = {target};
    request.text = text;
    request.markup = markup;
    request.source_hints = hints;
    requests.push_back(std::move(request));
  }
  return requests;
}

std::vector<std::string> accept_language_hints(const std::string& header) {
  std::vector<std::pair<double, std::string>> weighted;
  size_t start = 0;
  while (start < header.size() && weighted.size() < 8) {
    auto end = header.find(',', start);
    if (end == std::string::npos)
      end = header.size();
    auto item = header.substr(start, end - start);
    start = end + 1;
    double quality = 1;
    if (auto semicolon = item.find(';'); semicolon != std::string::npos) {
      auto q = item.find("q=", semicolon);
      quality = q == std::string::npos ? 1 : std::atof(item.c_str() + q + 2);
      item.resize(semicolon);
    }
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty() && item != "*" && quality > 0)
      weighted.emplace_back(quality, item);
  }
  std::stable_sort(
      weighted.begin(), weighted.end(),
      [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> hints;
  for (auto& entry : weighted)
    hints.push_back(std::move(entry.second));
  return hints;
}

std::vector<text_outcome>
translate_texts(caf::actor_system& sys, const router_actor& router,
                std::vector<translate_request> requests) {
  static std::atomic<uint64_t> next_id{1};
  std::vector<text_outcome> outcomes(requests.size());
  if (requests.empty())
    return outcomes;
  caf::scoped_actor self{sys};
  auto sink = caf::actor_cast<translation_sink>(self.ptr());
  // Ids are unique across threads; the first one maps them back to indices.
  auto first = next_id.fetch_add(requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    requests[i].id = first + i;
    self->send(router, std::move(requests[i]), sink);
  }
  auto slot = [&](uint64_t id) -> text_outcome* {
    return id >= first && id - first < outcomes.size() ? &outcomes[id - first]
                                                       : nullptr;
  };
  size_t done = 0;
  self->receive_while([&] { return done < outcomes.size(); })(
      [&](translation& result) {
        if (auto* out = slot(result.request_id))
          out->result = std::move(result);
      },
      [&](translation_failure& failure) {
        if (auto* out = slot(failure.request_id))
          out->failure = std::move(failure.reason);
      },
      [&](translation_done& finished) {
        if (slot(finished.request_id) != nullptr)
          ++done;
      });
  return outcomes;
}

} // namespace parley

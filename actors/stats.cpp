#include "actors/stats.hpp"

#include <chrono>
#include <memory>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "messages/metrics.hpp"

namespace parley {

namespace {

constexpr auto source_timeout = std::chrono::seconds(1);

/// Collects the answers of one `stats` request.
struct gathering {
  caf::typed_response_promise<metrics> promise;
  metrics merged;
  size_t missing = 0;

  void settle() {
    if (--missing == 0)
      promise.deliver(std::move(merged));
  }
};

} // namespace

stats_actor spawn_stats(caf::actor_system& sys,
                        std::vector<stats_source> sources) {
  auto init = [sources](stats_actor::pointer self) -> stats_actor::behavior_type {
    return {
      [self, sources](stats_atom) -> caf::result<metrics> {
        if (sources.empty())
          return metrics{};
        auto pending = std::make_shared<gathering>();
        pending->promise = self->make_response_promise<metrics>();
        pending->missing = sources.size();
        for (const auto& source : sources)
          self->request(source, source_timeout, stats_atom::value)
            .then(
              [pending](metrics& part) {
                pending->merged.merge(part);
                pending->settle();
              },
              [pending](caf::error&) { pending->settle(); });
        return pending->promise;
      },
    };
  };
  return sys.spawn(std::move(init));
}

} // namespace parley

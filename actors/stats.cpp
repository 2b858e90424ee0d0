#include "actors/stats.hpp"

#include <chrono>
#include <memory>

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "messages/metrics.hpp"

namespace parley {

namespace {

constexpr auto source_timeout = std::chrono::seconds(1);

struct stats_state {
  std::vector<stats_source> sources;

  static inline const char* name = "stats";
};

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
  auto init = [sources](stats_actor::stateful_pointer<stats_state> self)
      -> stats_actor::behavior_type {
    self->state.sources = sources;
    return {
        [self](caf::add_atom, const stats_source& source) {
          self->state.sources.push_back(source);
        },
        [self](stats_atom) -> caf::result<metrics> {
          const auto& sources = self->state.sources;
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

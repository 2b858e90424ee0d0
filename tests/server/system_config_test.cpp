#include <catch2/catch.hpp>

#include <caf/actor_system.hpp>
#include <caf/scheduler/abstract_coordinator.hpp>

#include "server/system_config.hpp"

using namespace parley;

TEST_CASE("the actor system runs the scheduler it was configured with",
          "[io]") {
  system_config cfg{scheduler_settings{3, "stealing"}};
  caf::actor_system sys{cfg};
  CHECK(sys.scheduler().num_workers() == 3);
}

TEST_CASE("an unknown scheduler policy is refused", "[io]") {
  CHECK_THROWS_WITH(system_config(scheduler_settings{1, "fastest"}),
                    Catch::Contains("fastest"));
}

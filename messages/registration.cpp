#include "messages/registration.hpp"

#include <caf/actor_system_config.hpp>
#include <caf/message.hpp>

#include "messages/admin.hpp"
#include "messages/audio_cache_types.hpp"
#include "messages/cache_types.hpp"
#include "messages/cluster.hpp"
#include "messages/detection.hpp"
#include "messages/error_code.hpp"
#include "messages/gateway.hpp"
#include "messages/metrics.hpp"
#include "messages/redis.hpp"
#include "messages/replica.hpp"
#include "messages/speech.hpp"
#include "messages/translation.hpp"

namespace parley {

void register_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_types<caf::id_block::parley>();
  // CAF's add_error_category<T> does not compile in 0.17.6; pass a renderer.
  cfg.add_error_category(error_category, [](uint8_t code, caf::atom_value,
                                            const caf::message& context) {
    auto text = to_string(static_cast<error_code>(code));
    if (context.match_elements<std::string>())
      text += ": " + context.get_as<std::string>(0);
    return text;
  });
}

} // namespace parley

#include "io/media/audio_codec_actor.hpp"

#include <cmath>

#include <caf/actor_system.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "io/media/audio_encoder.hpp"
#include "messages/error_code.hpp"
#include "messages/speech.hpp"
#include "models/thread_priority.hpp"

namespace parley {

codec_actor spawn_audio_codec(caf::actor_system& sys, audio_limits limits) {
  auto init =
      [limits](codec_actor::pointer self) -> codec_actor::behavior_type {
    // Audio work only: like the speech models, it yields the CPU to text.
    lower_thread_priority(19);
    return {
        [limits](decode_atom,
                 const std::string& bytes) -> caf::result<decoded_speech> {
          try {
            auto decoded = decode_audio(bytes, limits);
            auto duration_ms = static_cast<uint32_t>(
                std::lround(decoded.duration_seconds * 1000));
            return decoded_speech{std::move(decoded.samples),
                                  std::move(decoded.format), duration_ms};
          } catch (const audio_error& e) {
            return make_error(e.code(), e.what());
          } catch (const std::exception& e) {
            return make_error(error_code::audio_decode_failed, e.what());
          }
        },
        [](encode_atom, const synthesis& speech,
           const std::string& format) -> caf::result<encoded_speech> {
          try {
            auto encoded = encode_audio(
                speech.samples, static_cast<int>(speech.sample_rate), format);
            auto duration_ms =
                speech.sample_rate > 0 ? static_cast<uint32_t>(
                    speech.samples.size() * 1000 / speech.sample_rate)
                                       : 0;
            return encoded_speech{std::move(encoded.bytes),
                                  std::move(encoded.mime_type), duration_ms};
          } catch (const audio_error& e) {
            return make_error(e.code(), e.what());
          } catch (const std::exception& e) {
            return make_error(error_code::internal_error, e.what());
          }
        },
    };
  };
  return sys.spawn<caf::detached>(std::move(init));
}

} // namespace parley

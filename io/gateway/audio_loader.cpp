#include "io/gateway/audio_loader.hpp"

#include <fstream>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include "io/encoding/base64.hpp"
#include "messages/error_code.hpp"

namespace parley {

namespace {

caf::error too_large(size_t max_bytes) {
  return make_error(error_code::invalid_request, "the audio is larger than "
                                                     + std::to_string(max_bytes)
                                                     + " bytes");
}

caf::expected<std::string> read_file(const std::string& path,
                                     size_t max_bytes) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return make_error(error_code::missing_audio, "audio file not readable");
  std::string bytes;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
    bytes.append(buffer, static_cast<size_t>(in.gcount()));
    if (bytes.size() > max_bytes)
      return too_large(max_bytes);
  }
  if (bytes.empty())
    return make_error(error_code::missing_audio, "the audio file is empty");
  return bytes;
}

caf::expected<std::string> decode_base64(const std::string& text,
                                         size_t max_bytes) {
  if (text.size() / 4 * 3 > max_bytes + 3)
    return too_large(max_bytes);
  auto bytes = base64_decode(text);
  if (!bytes)
    return make_error(error_code::audio_decode_failed,
                      "the audio is not valid base64");
  if (bytes->size() > max_bytes)
    return too_large(max_bytes);
  return std::move(*bytes);
}

} // namespace

caf::actor spawn_audio_loader(caf::actor_system& sys) {
  auto init = [](caf::event_based_actor* self) -> caf::behavior {
    return {
        [self](audio_source& source) -> caf::result<std::string> {
          self->quit();
          auto loaded = source.path.empty()
                            ? decode_base64(source.base64, source.max_bytes)
                            : read_file(source.path, source.max_bytes);
          if (!loaded)
            return std::move(loaded.error());
          return std::move(*loaded);
        },
    };
  };
  return sys.spawn<caf::detached>(init);
}

} // namespace parley

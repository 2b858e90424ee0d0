#include "messages/replica.hpp"

namespace parley {

const char* to_string(model_task task) {
  switch (task) {
    case model_task::translation:
      return "translation";
    case model_task::transcription:
      return "transcription";
    case model_task::synthesis:
      return "synthesis";
  }
  return "unknown";
}

} // namespace parley

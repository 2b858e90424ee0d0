#include "messages/detection.hpp"

namespace parley {

const char* to_string(detection_method method) {
  switch (method) {
  case detection_method::none:
    return "none";
  case detection_method::detector:
    return "detector";
  case detection_method::hint:
    return "hint";
  case detection_method::configured_default:
    return "default";
  case detection_method::script:
    return "script";
  case detection_method::undetermined:
    return "undetermined";
  }
  return "undetermined";
}

} // namespace parley

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
  case detection_method::words:
    return "words";
  case detection_method::conversation:
    return "conversation";
  }
  return "undetermined";
}

language_detection detect_or_off(const detect_function& detect,
                                 const std::string& text,
                                 const detection_context& context) {
  if (detect)
    return detect(text, context);
  language_detection off;
  off.method = detection_method::undetermined;
  off.note = "language detection is off";
  return off;
}

} // namespace parley

#include "messages/replica.hpp"

#include "messages/error_code.hpp"

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

caf::error other_task_error(const std::string& model, model_task serves,
                            model_task asked) {
  return make_error(error_code::invalid_request,
                    "model " + model + " does " + to_string(serves) + ", not "
                        + to_string(asked));
}

} // namespace parley

#include "io/voice_jobs.hpp"

namespace parley {

const char* to_string(voice_job_status status) {
  switch (status) {
  case voice_job_status::pending:
    return "pending";
  case voice_job_status::processing:
    return "processing";
  case voice_job_status::completed:
    return "completed";
  case voice_job_status::failed:
    return "failed";
  case voice_job_status::cancelled:
    return "cancelled";
  }
  return "unknown";
}

} // namespace parley

#pragma once

// The layer above every translation backend that keeps a text's structure:
// line breaks, markup, code, URLs, mentions, hashtags and placeholders come
// back byte for byte, whichever engine translates the sentences between them.

#include <vector>

#include "models/backend.hpp"

namespace parley {

/// Translates `batch` through `backend` sentence by sentence: each job's text
/// is cut by its markup (models/text/text_structure.hpp), every sentence of
/// every job goes to the backend in one batch, and each job is rebuilt from
/// its translated sentences. A job's route and error are its sentences'; a
/// job without a sentence still asks the backend (with an empty text) so
/// that an unsupported pair is refused as it would be otherwise.
std::vector<job_output> translate_structured(translation_backend& backend,
                                             const translation_batch& batch);

} // namespace parley

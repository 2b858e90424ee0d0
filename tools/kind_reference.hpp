#pragma once

// The configuration reference of the model kinds, written from their
// declarations: `parley kinds` prints it, and docs/models.md holds the same
// text (a test keeps the two equal).

#include <string>

#include "models/registry.hpp"

namespace parley {

/// Markdown: the options every model takes, then one section per kind with
/// its task, summary, replica limit and a table of its option keys.
std::string kind_reference(const backend_registry& kinds);

} // namespace parley

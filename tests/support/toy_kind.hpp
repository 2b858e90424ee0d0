#pragma once

// A model kind that lives only in the tests, declared in one file like a
// built-in one, to show that the runtime and the checkpoint tools reach a new
// kind through its declaration alone.

#include "models/model_kind.hpp"

namespace parley::test {

/// The `toy` kind: a translation "model" whose checkpoint (model_type
/// `toy_reverse`, shape `toy-4`) holds one 4×4 tensor, and which answers
/// each text reversed. Options: `path` (its checkpoint, required) and
/// `upper` (boolean: answer in capitals).
model_kind toy_kind();

} // namespace parley::test

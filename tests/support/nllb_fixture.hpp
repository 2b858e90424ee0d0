#pragma once

#include <string>

namespace parley::test {

/// A copy of fixtures/nllb-tiny that a tokenizer can load: the fixture's
/// files plus a special_tokens_map.json naming its four languages (the
/// fixture directory itself is read-only). Made once per test process.
const std::string& tiny_nllb_dir();

/// The read-only fixture directory fixtures/nllb-tiny.
std::string nllb_fixture_dir();

} // namespace parley::test

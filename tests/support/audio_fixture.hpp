#pragma once

// The recording in ../shared/fixtures/audio (see its README).

#include <fstream>
#include <sstream>
#include <string>

namespace parley::test {

/// Path of jfk.wav, 11 s of English speech.
inline std::string jfk_path() {
  return std::string{PARLEY_FIXTURES_DIR} + "/audio/jfk.wav";
}

/// The bytes of jfk.wav.
inline std::string jfk_bytes() {
  std::ifstream in{jfk_path(), std::ios::binary};
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

} // namespace parley::test

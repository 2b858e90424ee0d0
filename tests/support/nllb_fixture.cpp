#include "tests/support/nllb_fixture.hpp"

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace parley::test {

std::string nllb_fixture_dir() {
  return std::string{PARLEY_FIXTURES_DIR} + "/nllb-tiny";
}

const std::string& tiny_nllb_dir() {
  static const std::string dir = [] {
    namespace fs = std::filesystem;
    auto target = fs::temp_directory_path()
                  / ("parley_nllb_tiny_" + std::to_string(getpid()));
    fs::create_directories(target);
    for (const auto& entry : fs::directory_iterator(nllb_fixture_dir()))
      fs::copy_file(entry.path(), target / entry.path().filename(),
                    fs::copy_options::overwrite_existing);
    // The fixture's languages, in id order (fixtures/README.md).
    std::ofstream{target / "special_tokens_map.json"}
        << R"({"additional_special_tokens": )"
           R"(["eng_Latn", "fra_Latn", "spa_Latn", "deu_Latn"]})";
    return target.string();
  }();
  return dir;
}

} // namespace parley::test

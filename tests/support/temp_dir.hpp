#pragma once

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

namespace parley::test {

/// A fresh directory under /tmp, removed with its contents at scope end.
struct temp_dir {
  std::filesystem::path path;

  temp_dir() {
    std::string pattern = "/tmp/parley_test_XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("cannot create a directory like " + pattern);
    path = pattern;
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  /// The path of `name` inside it.
  std::string file(const std::string& name) const {
    return (path / name).string();
  }
};

} // namespace parley::test

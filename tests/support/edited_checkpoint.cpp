#include "tests/support/edited_checkpoint.hpp"

#include <filesystem>
#include <unistd.h>

namespace parley::test {

std::string edited_copy(const std::string& source, const std::string& name,
                        const tensor_edit& edit) {
  namespace fs = std::filesystem;
  auto dir = fs::temp_directory_path()
             / ("parley_edited_" + name + "_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const auto& entry : fs::directory_iterator(source))
    if (entry.path().filename() != "model.safetensors")
      fs::copy_file(entry.path(), dir / entry.path().filename());
  safetensors_file original{source + "/model.safetensors"};
  std::vector<tensor_view> views = original.tensors();
  std::vector<std::vector<char>> storage;
  for (auto& view : views)
    storage.emplace_back(static_cast<const char*>(view.data),
                         static_cast<const char*>(view.data) + view.bytes);
  edit(views, storage);
  for (size_t i = 0; i < views.size(); ++i) {
    views[i].data = storage[i].data();
    views[i].bytes = storage[i].size();
  }
  write_safetensors((dir / "model.safetensors").string(), views);
  return dir.string();
}

} // namespace parley::test

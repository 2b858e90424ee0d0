#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parley {

/// A SentencePiece model, used through the sentencepiece shim library (see
/// sentencepiece_shim.cpp for why it is loaded apart). Immutable after
/// loading; move-only.
class sentencepiece_model {
public:
  /// Loads the model file; throws std::runtime_error naming the file and the
  /// reason when it cannot.
  explicit sentencepiece_model(const std::string& path);
  ~sentencepiece_model();
  sentencepiece_model(sentencepiece_model&& other) noexcept;
  sentencepiece_model& operator=(sentencepiece_model&& other) noexcept;
  sentencepiece_model(const sentencepiece_model&) = delete;
  sentencepiece_model& operator=(const sentencepiece_model&) = delete;

  int32_t piece_size() const;
  int32_t unk_id() const;
  bool is_control(int32_t id) const;
  bool is_unknown(int32_t id) const;
  /// Piece ids of `text`; throws std::runtime_error on failure.
  std::vector<int32_t> encode(std::string_view text) const;
  /// Text of piece ids; throws std::runtime_error on failure.
  std::string decode(const std::vector<int32_t>& ids) const;

private:
  void* model_ = nullptr;
};

} // namespace parley

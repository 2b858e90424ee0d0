// A SAX handler for nlohmann-json's parser: the lexer and the grammar are
// nlohmann's, so a frame it accepts is exactly a frame the document parse
// accepts; the handler only keeps the fields a translation needs and skips
// the rest. It declines (returns false, which stops the parse) at the first
// thing the document decode would treat differently or refuse.

#include "io/gateway/translation_reader.hpp"

#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "io/encoding/json_depth.hpp"

namespace parley {

namespace {

using nlohmann::json;

/// The top-level fields the reader keeps or checks; `other` is skipped.
enum class slot : uint8_t {
  other,
  type,
  text,
  target_langs,
  source_lang,
  model_type,
  user_language,
  timestamp,
  task_id,
  message_id,
  conversation_id,
  attachment_id,
  post_id,
  post_media_id,
  text_object_index,
  sender_id,
  user_id,
};

slot slot_of(std::string_view key) {
  static constexpr std::pair<std::string_view, slot> known[] = {
      {"type", slot::type},
      {"text", slot::text},
      {"targetLanguages", slot::target_langs},
      {"sourceLanguage", slot::source_lang},
      {"modelType", slot::model_type},
      {"userLanguage", slot::user_language},
      {"timestamp", slot::timestamp},
      {"taskId", slot::task_id},
      {"messageId", slot::message_id},
      {"conversationId", slot::conversation_id},
      {"attachmentId", slot::attachment_id},
      {"postId", slot::post_id},
      {"postMediaId", slot::post_media_id},
      {"textObjectIndex", slot::text_object_index},
      {"senderId", slot::sender_id},
      {"userId", slot::user_id},
  };
  for (const auto& [name, which] : known)
    if (name == key)
      return which;
  return slot::other;
}

bool is_id(slot s) {
  return s >= slot::task_id;
}

class translation_handler {
public:
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  explicit translation_handler(translation_fields& out) : out_(out) {
  }

  /// Whether the frame held everything a translation requires.
  bool complete() const {
    return seen(slot::type) && seen(slot::text) && seen(slot::target_langs);
  }

  bool null() {
    if (depth_ != 1)
      return skipped();
    // Null counts as absent for every optional field, as in the document
    // decode; a required one that is null is its error to give.
    switch (current_) {
    case slot::type:
    case slot::text:
    case slot::target_langs:
      return false;
    default:
      return true;
    }
  }

  bool boolean(bool) {
    return depth_ == 1 ? current_ == slot::other : skipped();
  }

  bool number_integer(json::number_integer_t value) {
    return integer(std::to_string(value));
  }

  bool number_unsigned(json::number_unsigned_t value) {
    return integer(std::to_string(value));
  }

  bool number_float(json::number_float_t, const string_t&) {
    if (depth_ != 1)
      return skipped();
    // A float id is written back as nlohmann formats it; left to the
    // document decode.
    return current_ == slot::other || current_ == slot::timestamp;
  }

  bool string(string_t& value) {
    if (depth_ == 0)
      return false; // not an object
    if (in_targets_ && depth_ == 2) {
      out_.target_langs.push_back(value);
      return true;
    }
    if (depth_ != 1)
      return skipped();
    switch (current_) {
    case slot::other:
      return true;
    case slot::type:
      return value == "translation";
    case slot::text:
      out_.text = value;
      return true;
    case slot::source_lang:
      out_.source_lang = value;
      return true;
    case slot::model_type:
      out_.model_type = value;
      return true;
    case slot::user_language:
      out_.user_language = value;
      return true;
    case slot::target_langs:
    case slot::timestamp:
      return false;
    default:
      break;
    }
    if (auto* text = id_text(current_))
      append_json_string(*text, value);
    if (auto* plain = id_plain(current_))
      *plain = value;
    return true;
  }

  bool binary(binary_t&) {
    return false; // JSON text has no binary values
  }

  bool start_object(std::size_t) {
    if (depth_ == 0) {
      depth_ = 1;
      return true;
    }
    return nested();
  }

  bool end_object() {
    --depth_;
    return true;
  }

  bool start_array(std::size_t) {
    if (depth_ == 0)
      return false; // not an object: the document decode's error
    if (depth_ == 1 && current_ == slot::target_langs) {
      in_targets_ = true;
      ++depth_;
      return true;
    }
    return nested();
  }

  bool end_array() {
    if (in_targets_ && depth_ == 2)
      in_targets_ = false;
    --depth_;
    return true;
  }

  bool key(string_t& name) {
    if (depth_ != 1)
      return true;
    current_ = slot_of(name);
    if (current_ == slot::other)
      return true;
    // The document keeps the last of two equal keys; rather than copy that
    // rule, leave such a frame to it.
    if (seen(current_))
      return false;
    seen_ |= bit(current_);
    return true;
  }

  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception&) {
    return false;
  }

private:
  static uint32_t bit(slot s) {
    return uint32_t{1} << static_cast<unsigned>(s);
  }

  bool seen(slot s) const {
    return (seen_ & bit(s)) != 0;
  }

  /// A value inside a field the reader skips.
  bool skipped() const {
    return !in_targets_;
  }

  /// An object or array that is not the target list: only an unknown
  /// field may hold one, and no deeper than the limit.
  bool nested() {
    if (in_targets_ || (depth_ == 1 && current_ != slot::other))
      return false;
    return ++depth_ <= static_cast<int>(max_json_depth);
  }

  bool integer(std::string digits) {
    if (depth_ != 1)
      return skipped();
    if (current_ == slot::other || current_ == slot::timestamp)
      return true;
    if (!is_id(current_))
      return false;
    if (auto* plain = id_plain(current_))
      *plain = digits;
    if (auto* text = id_text(current_))
      *text = std::move(digits);
    return true;
  }

  /// Where the JSON text of an echoed id goes; senderId and userId are
  /// read only as plain text.
  std::string* id_text(slot s) {
    auto& ids = out_.ids;
    switch (s) {
    case slot::task_id:
      return &ids.task_id;
    case slot::message_id:
      return &ids.message_id;
    case slot::conversation_id:
      return &ids.conversation_id;
    case slot::attachment_id:
      return &ids.attachment_id;
    case slot::post_id:
      return &ids.post_id;
    case slot::post_media_id:
      return &ids.post_media_id;
    case slot::text_object_index:
      return &ids.text_object_index;
    default:
      return nullptr;
    }
  }

  std::string* id_plain(slot s) {
    switch (s) {
    case slot::task_id:
      return &out_.task_plain;
    case slot::conversation_id:
      return &out_.conversation_plain;
    case slot::sender_id:
      return &out_.sender_plain;
    case slot::user_id:
      return &out_.user_plain;
    default:
      return nullptr;
    }
  }

  translation_fields& out_;
  /// 1 inside the request object, more inside its values.
  int depth_ = 0;
  bool in_targets_ = false;
  slot current_ = slot::other;
  uint32_t seen_ = 0;
};

} // namespace

std::optional<translation_fields>
read_plain_translation(std::string_view frame) {
  // nlohmann's lexer reads a NUL byte as the end of the input, where the
  // document decode's depth scan reads on past it: such a frame (never
  // valid JSON) is left to the document decode, so that both agree.
  if (frame.find('\0') != std::string_view::npos)
    return std::nullopt;
  std::optional<translation_fields> fields{std::in_place};
  translation_handler handler{*fields};
  if (!json::sax_parse(frame.begin(), frame.end(), &handler)
      || !handler.complete())
    return std::nullopt;
  return fields;
}

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out.reserve(out.size() + text.size() + 2);
  out += '"';
  size_t run = 0; // start of the bytes that need no escape
  for (size_t i = 0; i < text.size(); ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte != '"' && byte != '\\')
      continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (byte) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\b':
      out += "\\b";
      break;
    case '\f':
      out += "\\f";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      out += "\\u00";
      out += hex[byte >> 4];
      out += hex[byte & 0xF];
    }
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

} // namespace parley

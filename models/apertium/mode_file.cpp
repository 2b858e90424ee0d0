#include "models/apertium/mode_file.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>

namespace parley::apertium {

namespace {

// Characters that make the shell do more than run a plain pipeline.
constexpr std::string_view forbidden = ";&<>()`$*?~{}#!";

class mode_parser {
public:
  mode_parser(const std::string& text, const std::string& origin,
              const mode_parameters& parameters)
      : text_(text), origin_(origin), parameters_(parameters) {
  }

  std::vector<stage_argv> parse() {
    while (pos_ < text_.size()) {
      auto c = text_[pos_];
      if (c == ' ' || c == '\t') {
        end_word();
        ++pos_;
      } else if (c == '|') {
        end_word();
        end_stage();
        ++pos_;
      } else if (c == '\n' || c == '\r') {
        end_word();
        skip_line_breaks();
      } else if (c == '$' && !in_word_ && positional()) {
        continue;
      } else if (forbidden.find(c) != std::string_view::npos) {
        fail(std::string{"unsupported shell syntax '"} + c + "'");
      } else {
        in_word_ = true;
        read_word_part();
      }
    }
    end_word();
    if (stages_.empty() && current_.empty())
      fail("no command");
    end_stage();
    for (auto& stage : stages_)
      if (std::find(stage.begin() + 1, stage.end(), "-z") == stage.end())
        stage.insert(stage.begin() + 1, "-z");
    return std::move(stages_);
  }

private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("mode file " + origin_ + ": " + what
                             + " at offset " + std::to_string(pos_));
  }

  // Handles an unquoted `$1` or `$2` standing alone as a word.
  bool positional() {
    auto next = pos_ + 2;
    bool alone = next >= text_.size() || text_[next] == ' '
                 || text_[next] == '\t' || text_[next] == '|'
                 || text_[next] == '\n' || text_[next] == '\r';
    if (pos_ + 1 >= text_.size() || !alone)
      fail("unsupported shell expansion");
    auto digit = text_[pos_ + 1];
    if (digit == '1')
      push_parameter(parameters_.generation_flag);
    else if (digit == '2')
      push_parameter(parameters_.tagger_option);
    else
      fail(std::string{"unknown parameter $"} + digit);
    pos_ += 2;
    return true;
  }

  void push_parameter(const std::string& value) {
    if (current_.empty())
      fail("a parameter cannot be the program");
    if (!value.empty())
      current_.push_back(value);
  }

  void read_word_part() {
    auto c = text_[pos_];
    if (c == '\'') {
      auto close = text_.find('\'', pos_ + 1);
      if (close == std::string::npos)
        fail("unterminated single quote");
      word_.append(text_, pos_ + 1, close - pos_ - 1);
      pos_ = close + 1;
    } else if (c == '"') {
      read_double_quoted();
    } else if (c == '\\') {
      if (pos_ + 1 >= text_.size())
        fail("backslash at end of line");
      word_ += text_[pos_ + 1];
      pos_ += 2;
    } else {
      word_ += c;
      ++pos_;
    }
  }

  void read_double_quoted() {
    for (++pos_; pos_ < text_.size(); ++pos_) {
      auto c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return;
      }
      if (c == '$' || c == '`')
        fail("unsupported expansion inside double quotes");
      if (c == '\\' && pos_ + 1 < text_.size()
          && std::string_view{"\"\\$`"}.find(text_[pos_ + 1])
                 != std::string_view::npos)
        c = text_[++pos_];
      word_ += c;
    }
    fail("unterminated double quote");
  }

  void skip_line_breaks() {
    while (pos_ < text_.size()
           && (text_[pos_] == '\n' || text_[pos_] == '\r' || text_[pos_] == ' '
               || text_[pos_] == '\t'))
      ++pos_;
    if (pos_ < text_.size())
      fail("more than one command");
  }

  void end_word() {
    if (in_word_)
      current_.push_back(std::move(word_));
    word_.clear();
    in_word_ = false;
  }

  void end_stage() {
    if (current_.empty())
      fail("empty pipeline stage");
    if (current_.front().find('=') != std::string::npos)
      fail("unsupported variable assignment " + current_.front());
    stages_.push_back(std::move(current_));
    current_.clear();
  }

  const std::string& text_;
  const std::string& origin_;
  const mode_parameters& parameters_;
  size_t pos_ = 0;
  std::string word_;
  bool in_word_ = false;
  stage_argv current_;
  std::vector<stage_argv> stages_;
};

} // namespace

std::vector<stage_argv> parse_mode(const std::string& text,
                                   const std::string& origin,
                                   const mode_parameters& parameters) {
  return mode_parser{text, origin, parameters}.parse();
}

std::vector<stage_argv> load_mode_file(const std::string& path,
                                       const mode_parameters& parameters) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    throw std::runtime_error("cannot read mode file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return parse_mode(text.str(), path, parameters);
}

} // namespace parley::apertium

#pragma once

#include <string>
#include <vector>

/// Parsing of Apertium mode files (`<modes_dir>/<pair>.mode`) into the argv
/// of each pipeline stage, without a shell. Pure code apart from reading the
/// file.
namespace parley::apertium {

/// The argv of one pipeline stage; element 0 is the program.
using stage_argv = std::vector<std::string>;

/// What the mode file's positional parameters stand for.
struct mode_parameters {
  /// Replaces `$1`, the generator's flag: `-n` (no unknown-word marks) or
  /// `-g` (marks unknown words with `*`).
  std::string generation_flag = "-n";
  /// Replaces `$2`, the tagger's extra option; empty drops it.
  std::string tagger_option;
};

/// Parses the text of a mode file: a single pipeline of simple commands.
/// Substitutes `$1` and `$2`, and inserts `-z` (null flush) as the first
/// argument of every stage. Throws `std::runtime_error` naming `origin` on
/// anything a plain argv cannot express (`;`, `&`, redirects, `$(...)`,
/// backticks, other `$` expansions, globs, several commands).
std::vector<stage_argv> parse_mode(const std::string& text,
                                   const std::string& origin,
                                   const mode_parameters& parameters = {});

/// Reads and parses the mode file at `path`; throws `std::runtime_error`
/// naming the file when it cannot be read or parsed.
std::vector<stage_argv> load_mode_file(const std::string& path,
                                       const mode_parameters& parameters = {});

} // namespace parley::apertium

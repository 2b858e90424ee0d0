// Every repository path that README.md and docs/*.md name must exist, so the
// docs cannot go on describing files that were renamed or removed. A path is
// one written in backticks that starts with a top folder of the repository
// (or is README.md or CMakeLists.txt), or the target of a relative Markdown
// link. Fenced code blocks are left out: they hold commands and output, not
// references.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

fs::path repository_root() {
  return (fs::path{PARLEY_TESTS_DIR} / "..").lexically_normal();
}

std::string read_text(const fs::path& file) {
  std::ifstream in{file};
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// README.md and every docs/*.md, relative to the repository root.
std::vector<fs::path> documents() {
  std::vector<fs::path> result{"README.md"};
  for (const auto& entry : fs::directory_iterator{repository_root() / "docs"})
    if (entry.is_regular_file() && entry.path().extension() == ".md")
      result.push_back(fs::relative(entry.path(), repository_root()));
  return result;
}

/// `text` without its fenced code blocks. Code spans may still run from one
/// line to the next, as in Markdown.
std::string prose(const std::string& text) {
  std::string result;
  std::istringstream in{text};
  bool fenced = false;
  for (std::string line; std::getline(in, line);) {
    auto first = line.find_first_not_of(' ');
    if (first != std::string::npos
        && (line.compare(first, 3, "```") == 0
            || line.compare(first, 3, "~~~") == 0)) {
      fenced = !fenced;
      continue;
    }
    if (!fenced)
      result += line + "\n";
  }
  return result;
}

/// `path` without a trailing `:LINE` or `#anchor` and trailing punctuation.
std::string trimmed(std::string path) {
  static const std::regex line_suffix{R"(:[0-9]+(-[0-9]+)?$)"};
  auto anchor = path.find('#');
  if (anchor != std::string::npos)
    path.erase(anchor);
  path = std::regex_replace(path, line_suffix, "");
  while (!path.empty()
         && std::string{".,;:!?)"}.find(path.back()) != std::string::npos)
    path.pop_back();
  return path;
}

/// Whether `path` is a pattern or a placeholder rather than a file:
/// wildcards, `<kind>`, `{name}`, `...`, or a word in capitals (`NAME`,
/// `DIR`; README excepted).
bool is_placeholder(const std::string& path) {
  static const std::regex capitals{R"([A-Z]{3,})"};
  if (path.find_first_of("*?<>{}[]$|") != std::string::npos)
    return true;
  if (path.find("...") != std::string::npos
      || path.find("\xE2\x80\xA6") != std::string::npos) // …
    return true;
  auto without_readme = std::regex_replace(path, std::regex{"README"}, "");
  return std::regex_search(without_readme, capitals);
}

struct named_path {
  /// The document that names it.
  fs::path document;
  /// As written, trimmed.
  std::string written;
  /// Relative to the repository root.
  fs::path resolved;
};

/// The repository paths named in backticks in `text`.
void backtick_paths(const fs::path& document, const std::string& text,
                    std::vector<named_path>& out) {
  static const std::regex repository_path{
      R"((?:^|[\s(="',])((?:messages|actors|models|io|server|cluster|tools|tests|fuzz|docs|cmake|\.ci)/[^\s`"'(),;]*|(?:README\.md|CMakeLists\.txt)(?=$|[\s"'(),;:.#])))"};
  // Code spans pair backticks in order (a scan, not a regex: libstdc++'s
  // regex recurses once per character matched).
  for (auto open = text.find('`'); open != std::string::npos;) {
    auto close = text.find('`', open + 1);
    if (close == std::string::npos)
      break;
    auto code = text.substr(open + 1, close - open - 1);
    open = text.find('`', close + 1);
    for (std::sregex_iterator match{code.begin(), code.end(), repository_path},
         end;
         match != end; ++match) {
      auto path = trimmed((*match)[1].str());
      if (path.empty() || is_placeholder(path) || path.rfind("build/", 0) == 0)
        continue;
      out.push_back({document, path, fs::path{path}.lexically_normal()});
    }
  }
}

/// The targets of relative Markdown links and images in `text`, resolved
/// from the folder of `document`.
void link_paths(const fs::path& document, const std::string& text,
                std::vector<named_path>& out) {
  static const std::regex link{R"(\]\(([^)\s]+)(?:\s+"[^"]*")?\))"};
  static const std::regex scheme{R"(^[a-zA-Z][a-zA-Z0-9+.-]*:)"};
  for (std::sregex_iterator match{text.begin(), text.end(), link}, end;
       match != end; ++match) {
    auto target = (*match)[1].str();
    if (target.empty() || target[0] == '#' || target[0] == '/'
        || std::regex_search(target, scheme))
      continue;
    auto path = trimmed(target);
    if (path.empty() || is_placeholder(path))
      continue;
    auto resolved = (document.parent_path() / path).lexically_normal();
    if (resolved.begin() != resolved.end()
        && resolved.begin()->string() == "build")
      continue;
    out.push_back({document, path, resolved});
  }
}

} // namespace

TEST_CASE("every repository path named in the README and docs exists",
          "[tools]") {
  auto docs = documents();
  REQUIRE(docs.size() >= 2);
  std::vector<named_path> named;
  for (const auto& document : docs) {
    auto text = read_text(repository_root() / document);
    INFO(document.string());
    REQUIRE_FALSE(text.empty());
    auto outside_fences = prose(text);
    backtick_paths(document, outside_fences, named);
    link_paths(document, outside_fences, named);
  }
  std::set<std::string> distinct;
  std::vector<std::string> missing;
  for (const auto& path : named) {
    distinct.insert(path.resolved.string());
    if (!fs::exists(repository_root() / path.resolved))
      missing.push_back(path.document.string() + ": " + path.written);
  }
  // An extractor that finds nothing would pass the check below vacuously.
  CHECK(distinct.size() > 30);
  std::string report;
  for (const auto& line : missing)
    report += "\n  " + line;
  INFO("paths named but missing:" << report);
  CHECK(missing.empty());
}

#pragma once

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace httplib {
struct Request;
}

namespace parley {

/// A body that cannot be read as fields; the message says why.
class bad_fields : public std::invalid_argument {
public:
  using std::invalid_argument::invalid_argument;
};

/// The fields of a request body, whichever way the client encoded them: a
/// JSON object, `application/x-www-form-urlencoded` (which cpp-httplib
/// leaves undecoded), or `multipart/form-data` (text parts; files are read
/// from the request itself). The public APIs take all three, and ignore
/// fields they do not know.
///
/// A field may hold several values: a JSON array, a repeated form key
/// (`text=a&text=b`), or a key written with brackets (`text[]=a`). JSON
/// numbers and booleans are kept as their JSON text; objects and nulls are
/// left out.
class request_fields {
public:
  /// Reads the body of `req` by its Content-Type (JSON when there is none,
  /// and for a form-labelled body that starts with `{`, as `curl -d` sends).
  /// Throws `bad_fields` for a body that is not what its type says, or a JSON
  /// body deeper than `max_json_depth`.
  static request_fields read(const httplib::Request& req);

  /// Reads a form body (`a=1&b=x%20y`).
  static request_fields from_form(std::string_view body);

  /// Reads a JSON object.
  static request_fields from_json(std::string_view body);

  bool has(const std::string& key) const;

  /// The first value of `key`, or `fallback`.
  std::string get(const std::string& key,
                  const std::string& fallback = {}) const;

  /// Every value of `key`, in order; empty when absent.
  const std::vector<std::string>& all(const std::string& key) const;

  /// True when the client sent `key` as a list (a JSON array, a repeated or
  /// bracketed form key): the answer is then a list too.
  bool is_list(const std::string& key) const;

private:
  void add(std::string key, std::string value);

  std::map<std::string, std::vector<std::string>> values_;
  std::set<std::string> lists_;
};

/// Decodes one form component: `+` is a space, `%XX` a byte. Throws
/// `bad_fields` for a broken escape.
std::string form_decode(std::string_view text);

} // namespace parley

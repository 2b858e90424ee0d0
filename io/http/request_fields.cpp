#include "io/http/request_fields.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "io/encoding/json_depth.hpp"

namespace parley {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

bool starts_with(const std::string& text, const char* prefix) {
  return text.rfind(prefix, 0) == 0;
}

} // namespace

std::string form_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      int high = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
      int low = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
      if (high < 0 || low < 0)
        throw bad_fields("a broken %-escape in the form body");
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

request_fields request_fields::from_form(std::string_view body) {
  request_fields fields;
  while (!body.empty()) {
    auto end = body.find('&');
    auto pair = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view{}
                                         : body.substr(end + 1);
    if (pair.empty())
      continue;
    auto equals = pair.find('=');
    auto key = form_decode(pair.substr(0, equals));
    auto value = equals == std::string_view::npos
                     ? std::string{}
                     : form_decode(pair.substr(equals + 1));
    fields.add(std::move(key), std::move(value));
  }
  return fields;
}

request_fields request_fields::from_json(std::string_view body) {
  if (!json_depth_within(body, max_json_depth))
    throw bad_fields("the body nests deeper than "
                     + std::to_string(max_json_depth) + " levels");
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (!parsed.is_object())
    throw bad_fields("the body must be a JSON object");
  request_fields fields;
  auto scalar = [](const nlohmann::json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
  };
  for (const auto& [key, value] : parsed.items()) {
    if (value.is_array()) {
      fields.lists_.insert(key);
      fields.values_[key]; // present, even when empty
      for (const auto& item : value)
        if (item.is_primitive() && !item.is_null())
          fields.values_[key].push_back(scalar(item));
    } else if (value.is_primitive() && !value.is_null()) {
      fields.values_[key].push_back(scalar(value));
    }
  }
  return fields;
}

request_fields request_fields::read(const httplib::Request& req) {
  auto type = req.get_header_value("Content-Type");
  // `curl -d '{...}'` labels a JSON object as a form.
  bool json_object = !req.body.empty() && req.body.front() == '{';
  if (starts_with(type, "application/x-www-form-urlencoded") && !json_object)
    return from_form(req.body);
  if (starts_with(type, "multipart/form-data")) {
    request_fields fields;
    for (const auto& [name, part] : req.files)
      if (part.filename.empty())
        fields.add(name, part.content);
    return fields;
  }
  return from_json(req.body);
}

void request_fields::add(std::string key, std::string value) {
  if (key.size() > 2 && key.compare(key.size() - 2, 2, "[]") == 0) {
    key.resize(key.size() - 2);
    lists_.insert(key);
  }
  auto& values = values_[key];
  values.push_back(std::move(value));
  if (values.size() > 1)
    lists_.insert(key);
}

bool request_fields::has(const std::string& key) const {
  return values_.count(key) > 0;
}

std::string request_fields::get(const std::string& key,
                                const std::string& fallback) const {
  auto found = values_.find(key);
  if (found == values_.end() || found->second.empty())
    return fallback;
  return found->second.front();
}

const std::vector<std::string>&
request_fields::all(const std::string& key) const {
  static const std::vector<std::string> none;
  auto found = values_.find(key);
  return found == values_.end() ? none : found->second;
}

bool request_fields::is_list(const std::string& key) const {
  return lists_.count(key) > 0;
}

} // namespace parley

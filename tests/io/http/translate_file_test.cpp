// LibreTranslate's file translation: the in-memory store of translated files
// under a hand-moved clock, how files are cut into texts, and
// `/translate_file` and `/download_file` on a real parleyd with the embedded
// Apertium model.

#include <catch2/catch.hpp>

#include <regex>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "actors/request_validation.hpp"
#include "io/http/file_pieces.hpp"
#include "io/http/file_store.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/text.hpp"

using namespace parley;
using namespace parley::test;
using nlohmann::json;

namespace {

/// A clock the test moves.
struct hand_clock {
  file_store::clock::time_point now{};
  std::function<file_store::clock::time_point()> function() {
    return [this] { return now; };
  }
};

stored_file text_file(const std::string& name, size_t bytes) {
  return {name, "text/plain", std::string(bytes, 'x')};
}

std::string joined(const std::vector<file_piece>& pieces) {
  std::string all;
  for (const auto& piece : pieces)
    all += piece.text;
  return all;
}

/// Every piece to translate is within `max_chars` and not blank, and the
/// pieces make up `content`.
void check_pieces(const std::vector<file_piece>& pieces,
                  const std::string& content, size_t max_chars) {
  CHECK(joined(pieces) == content);
  for (const auto& piece : pieces) {
    if (!piece.translate)
      continue;
    INFO(piece.text);
    CHECK(utf8_length(piece.text) <= max_chars);
    CHECK(piece.text.find_first_not_of(" \t\r\n") != std::string::npos);
  }
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  size_t at = 0;
  while (at <= text.size()) {
    auto end = text.find('\n', at);
    if (end == std::string::npos)
      end = text.size();
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return lines;
}

std::vector<std::string> tags_of(const std::string& html) {
  std::vector<std::string> tags;
  std::regex tag{"<[^>]*>"};
  for (std::sregex_iterator i{html.begin(), html.end(), tag}, end; i != end;
       ++i)
    tags.push_back(i->str());
  return tags;
}

/// Posts `content` as the multipart file `name`, with `fields`.
httplib::Result
upload(uint16_t port, const std::string& name, const std::string& content,
       const std::vector<std::pair<std::string, std::string>>& fields) {
  httplib::MultipartFormDataItems items;
  if (!name.empty())
    items.push_back({"file", content, name, "application/octet-stream"});
  for (const auto& [field, value] : fields)
    items.push_back({field, value, "", ""});
  httplib::Client client{"127.0.0.1", port};
  client.set_read_timeout(120, 0);
  return client.Post("/translate_file", items);
}

/// Translates `content` as `name` from English to Spanish, and downloads
/// the result by the path of the link answered.
httplib::Response translated(uint16_t port, const std::string& name,
                             const std::string& content) {
  auto answer =
      upload(port, name, content, {{"source", "en"}, {"target", "es"}});
  REQUIRE(answer);
  INFO(answer->body);
  REQUIRE(answer->status == 200);
  auto url = json::parse(answer->body)["translatedFileUrl"].get<std::string>();
  auto prefix = "http://127.0.0.1:" + std::to_string(port) + "/download_file/";
  REQUIRE(url.rfind(prefix, 0) == 0);
  CHECK_THAT(url, Catch::EndsWith("-" + name));
  httplib::Client client{"127.0.0.1", port};
  auto download = client.Get(url.substr(url.find("/download_file/")).c_str());
  REQUIRE(download);
  REQUIRE(download->status == 200);
  CHECK_THAT(download->get_header_value("Content-Disposition"),
             Catch::Contains("attachment") && Catch::Contains(name));
  return *download;
}

} // namespace

TEST_CASE("the file store expires files and keeps within its bounds",
          "[io][http][libretranslate]") {
  hand_clock clock;
  file_store store{{3, 100, std::chrono::seconds{600}}, clock.function()};

  auto first = store.put(text_file("a.txt", 10));
  REQUIRE_THAT(first, Catch::EndsWith("-a.txt"));
  CHECK(first.size() == 32 + 1 + 5); // 128 random bits in hexadecimal
  REQUIRE(store.get(first));
  CHECK(store.get(first)->name == "a.txt");
  CHECK(store.get(first)->content == std::string(10, 'x'));
  CHECK_FALSE(store.get("0123456789abcdef0123456789abcdef-a.txt"));
  CHECK_FALSE(store.get(""));
  CHECK(store.put(text_file("a.txt", 10)) != first);

  SECTION("a file expires after its time") {
    clock.now += std::chrono::seconds{599};
    CHECK(store.get(first));
    clock.now += std::chrono::seconds{1};
    CHECK_FALSE(store.get(first));
    CHECK(store.size() == 0);
    CHECK(store.bytes() == 0);
  }

  SECTION("the oldest goes when the count is reached") {
    clock.now += std::chrono::seconds{1};
    auto third = store.put(text_file("c.txt", 10));
    auto fourth = store.put(text_file("d.txt", 10));
    CHECK_FALSE(store.get(first));
    CHECK(store.get(third));
    CHECK(store.get(fourth));
    CHECK(store.size() == 3);
  }

  SECTION("the oldest go when the bytes are reached") {
    auto big = store.put(text_file("big.txt", 85));
    CHECK_FALSE(store.get(first));
    CHECK(store.get(big));
    CHECK(store.bytes() <= 100);
    CHECK(store.put(text_file("huge.txt", 101)).empty());
    CHECK(store.get(big));
  }
}

TEST_CASE("files are cut into texts within the limit, the rest kept",
          "[io][http][libretranslate]") {
  std::string text;
  for (int i = 0; i < 12; ++i)
    text += "The cat is black. The dog is big and the house is red.\n"
            "Élan, café.\n\n";
  for (size_t limit : {30, 60, 100, 1000, 100000}) {
    INFO(limit);
    auto pieces = file_pieces(file_kind::text, text, limit);
    check_pieces(pieces, text, limit);
  }
  auto whole = file_pieces(file_kind::text, "  Hello.\n", 100);
  REQUIRE(whole.size() == 3);
  CHECK(whole[1].text == "Hello.");
  CHECK(whole[1].translate);
  CHECK(file_pieces(file_kind::text, " \n ", 10).size() == 1);

  std::string html = "<html><head><title>A cat</title>"
                     "<script>if (a < b && c > d) x();</script></head><body>";
  for (int i = 0; i < 8; ++i)
    html += "<p class=\"x>y\">The <b>cat</b> is black.</p><!-- a > b -->\n";
  html += "</body></html>\n";
  for (size_t limit : {60, 120, 1000}) {
    INFO(limit);
    auto pieces = file_pieces(file_kind::html, html, limit);
    check_pieces(pieces, html, limit);
    for (const auto& piece : pieces) {
      // Never cut inside a tag, a comment or a script.
      CHECK((piece.text.find("<script>") == std::string::npos
             || piece.text.find("</script>") != std::string::npos));
      CHECK(occurrences(piece.text, "<!--") == occurrences(piece.text, "-->"));
      CHECK(occurrences(piece.text, "class=\"x")
            == occurrences(piece.text, "y\">"));
    }
  }

  std::string srt =
      "\xEF\xBB\xBF"
      "1\r\n00:00:01,000 --> 00:00:02,500\r\nThe cat is black.\r\n"
      "The dog is big.\r\n\r\n"
      "2\r\n00:00:03,000 --> 00:00:04,000\r\n1984\r\n\r\n"
      "3\n00:00:05,000 --> 00:00:06,000\nThe house is red.\n";
  auto cues = file_pieces(file_kind::subtitles, srt, 1000);
  check_pieces(cues, srt, 1000);
  std::vector<std::string> translated;
  for (const auto& piece : cues)
    if (piece.translate)
      translated.push_back(piece.text);
  CHECK(translated
        == std::vector<std::string>{"The cat is black.\r\nThe dog is big.",
                                    "1984", "The house is red."});
  check_pieces(file_pieces(file_kind::subtitles, srt, 10), srt, 10);
}

TEST_CASE("file names and kinds", "[io][http][libretranslate]") {
  CHECK(file_kind_of("a.TXT") == file_kind::text);
  CHECK(file_kind_of("page.htm") == file_kind::html);
  CHECK(file_kind_of("page.Html") == file_kind::html);
  CHECK(file_kind_of("film.srt") == file_kind::subtitles);
  CHECK_FALSE(file_kind_of("report.pdf"));
  CHECK_FALSE(file_kind_of("txt"));
  CHECK(safe_file_name("../../etc/passwd") == "passwd");
  CHECK(safe_file_name("C:\\docs\\my file \"1\".txt") == "my_file__1_.txt");
  CHECK(safe_file_name(".txt") == "file.txt");
  CHECK(safe_file_name("") == "file");
  auto long_name = safe_file_name(std::string(300, 'a') + ".srt");
  CHECK(long_name.size() == 128);
  CHECK(file_kind_of(long_name) == file_kind::subtitles);
}

TEST_CASE("LibreTranslate's translate_file and download_file",
          "[io][http][libretranslate]") {
  // A small text limit, so that files are cut into several texts.
  server_process server{"[server]\nmax_text_chars = 200\n"};
  auto port = server.http_port;

  auto settings = json::parse(http_get(port, "/frontend/settings").body);
  CHECK(settings["filesTranslation"] == true);
  CHECK(settings["supportedFilesFormat"]
        == json(translatable_file_extensions()));

  SECTION("plain text") {
    std::string text;
    for (int i = 0; i < 6; ++i)
      text += "The cat is black and the dog is big.\n\n";
    auto download = translated(port, "notes.txt", text);
    CHECK_THAT(download.get_header_value("Content-Type"),
               Catch::StartsWith("text/plain"));
    CHECK(occurrences(lower(download.body), "gato") == 6);
  }

  SECTION("HTML keeps its tags") {
    std::string html =
        "<!DOCTYPE html>\n<html><head><title>The cat</title></head><body>\n";
    for (int i = 0; i < 5; ++i)
      html += "<p class=\"note\">The <b>cat</b> is <a href=\"/x\">black</a>."
              "</p>\n";
    html += "</body></html>\n";
    auto download = translated(port, "page.html", html);
    CHECK_THAT(download.get_header_value("Content-Type"),
               Catch::StartsWith("text/html"));
    CHECK(tags_of(download.body) == tags_of(html));
    CHECK_THAT(lower(download.body), Catch::Contains("gato"));
  }

  SECTION("subtitles keep their indices and timestamps") {
    std::string srt = "1\n00:00:01,000 --> 00:00:02,500\nThe cat is black.\n\n"
                      "2\n00:00:03,000 --> 00:00:04,000\nThe dog is big.\n"
                      "The house is red.\n\n"
                      "3\n00:01:00,000 --> 00:01:02,000\nGood morning.\n";
    auto download = translated(port, "film.srt", srt);
    auto before = lines_of(srt);
    auto after = lines_of(download.body);
    REQUIRE(after.size() == before.size());
    for (size_t i = 0; i < before.size(); ++i) {
      bool kept = before[i].empty()
                  || before[i].find("-->") != std::string::npos
                  || (before[i].size() == 1 && std::isdigit(before[i][0]));
      if (kept)
        CHECK(after[i] == before[i]);
      else
        CHECK(after[i] != before[i]);
    }
    CHECK_THAT(lower(download.body), Catch::Contains("gato"));
    CHECK_THAT(lower(download.body), Catch::Contains("perro"));
  }

  SECTION("refusals") {
    auto pdf = upload(port, "report.pdf", "The cat.", {{"target", "es"}});
    REQUIRE(pdf);
    CHECK(pdf->status == 400);
    CHECK_THAT(json::parse(pdf->body)["error"].get<std::string>(),
               Catch::Contains(".txt") && Catch::Contains(".srt"));
    auto no_file = upload(port, "", "", {{"target", "es"}});
    REQUIRE(no_file);
    CHECK(no_file->status == 400);
    CHECK_THAT(json::parse(no_file->body)["error"].get<std::string>(),
               Catch::Contains("file"));
    auto no_target = upload(port, "a.txt", "The cat.", {{"source", "en"}});
    REQUIRE(no_target);
    CHECK(no_target->status == 400);
    CHECK_THAT(json::parse(no_target->body)["error"].get<std::string>(),
               Catch::Contains("target"));
    auto binary =
        upload(port, "a.txt", "The \xff\xfe cat.", {{"target", "es"}});
    REQUIRE(binary);
    CHECK(binary->status == 400);
    CHECK(json::parse(binary->body).contains("error"));
    auto unknown =
        http_get(port, "/download_file/0123456789abcdef0123456789abcdef-a.txt");
    CHECK(unknown.status == 404);
    CHECK(json::parse(unknown.body).contains("error"));
    CHECK(http_get(port, "/live").status == 200);
  }
}

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <string>
#include <unistd.h>
#include <utility>
#include <vector>

#include "io/media/audio_decoder.hpp"
#include "tests/io/media/audio_test_helpers.hpp"

using namespace parley;
using namespace parley::test;

namespace {

error_code code_of_decoding(std::string_view bytes,
                            const audio_limits& limits = {}) {
  try {
    decode_audio(bytes, limits);
  } catch (const audio_error& e) {
    INFO(e.what());
    return e.code();
  }
  FAIL("decoding succeeded");
  return error_code::internal_error;
}

std::string message_of_decoding(std::string_view bytes,
                                const audio_limits& limits) {
  try {
    decode_audio(bytes, limits);
  } catch (const audio_error& e) {
    CHECK(e.code() == error_code::invalid_request);
    return e.what();
  }
  FAIL("decoding succeeded");
  return {};
}

} // namespace

TEST_CASE("jfk.wav decodes to 16 kHz mono samples equal to its int16 values",
          "[io]") {
  auto bytes = read_bytes(jfk_path());
  auto wav = parse_wav(bytes);
  REQUIRE(wav.channels == 1);
  REQUIRE(wav.sample_rate == 16000);
  REQUIRE(wav.bits == 16);

  auto decoded = decode_audio(bytes);
  CHECK(decoded.format == "wav");
  CHECK(decoded.codec == "pcm_s16le");
  REQUIRE(decoded.samples.size() == wav.data_bytes / 2);
  CHECK(decoded.duration_seconds
        == Approx(wav.data_bytes / 2 / 16000.0).margin(1e-9));
  double worst = 0;
  for (size_t i = 0; i < decoded.samples.size(); ++i)
    worst = std::max(
        worst, std::abs(double{decoded.samples[i]} - wav.samples[i] / 32768.0));
  CHECK(worst < 1e-6);
}

TEST_CASE("decode_audio_file reads the same samples as decode_audio", "[io]") {
  auto from_memory = decode_audio(read_bytes(jfk_path()));
  auto from_file = decode_audio_file(jfk_path());
  CHECK(from_file.samples == from_memory.samples);
  CHECK(from_file.format == "wav");
}

TEST_CASE("audio is identified by its content, never by a file name", "[io]") {
  temp_dir dir;
  auto mp3 = run_ffmpeg(jfk_path(), {"-c:a", "libmp3lame", "-b:a", "64k"},
                        dir.file("jfk.mp3"));
  auto reference = decode_audio(mp3);
  CHECK(reference.format == "mp3");
  CHECK(reference.codec == "mp3");

  for (const auto* name : {"speech.wav", "speech.ogg", "notes.txt", "speech"}) {
    INFO(name);
    write_bytes(dir.file(name), mp3);
    auto decoded = decode_audio_file(dir.file(name));
    CHECK(decoded.format == "mp3");
    CHECK(decoded.samples == reference.samples);
  }
}

TEST_CASE("empty input is MISSING_AUDIO", "[io]") {
  CHECK(code_of_decoding("") == error_code::missing_audio);
  temp_dir dir;
  write_bytes(dir.file("empty.wav"), "");
  try {
    decode_audio_file(dir.file("empty.wav"));
    FAIL("decoding succeeded");
  } catch (const audio_error& e) {
    CHECK(e.code() == error_code::missing_audio);
  }
}

TEST_CASE("unreadable, truncated or corrupt input is AUDIO_DECODE_FAILED",
          "[io]") {
  auto jfk = read_bytes(jfk_path());
  auto wav = parse_wav(jfk);

  SECTION("random bytes") {
    for (uint32_t seed = 1; seed <= 20; ++seed)
      CHECK(code_of_decoding(random_bytes(64 << 10, seed))
            == error_code::audio_decode_failed);
  }
  SECTION("a zero-filled buffer") {
    CHECK(code_of_decoding(std::string(64 << 10, '\0'))
          == error_code::audio_decode_failed);
  }
  SECTION("a text file") {
    std::string text;
    for (int i = 0; i < 200; ++i)
      text += "And so, my fellow Americans: ask not what your country can do "
              "for you, ask what you can do for your country.\n";
    CHECK(code_of_decoding(text) == error_code::audio_decode_failed);
  }
  SECTION("the first 30% of an mp3") {
    temp_dir dir;
    auto mp3 = run_ffmpeg(jfk_path(), {"-c:a", "libmp3lame", "-b:a", "64k"},
                          dir.file("jfk.mp3"));
    CHECK(code_of_decoding(mp3.substr(0, mp3.size() * 3 / 10))
          == error_code::audio_decode_failed);
  }
  SECTION("the first 30% of files whose headers state their length") {
    temp_dir dir;
    std::vector<std::pair<std::string, std::vector<std::string>>> files{
        {"jfk.flac", {}},
        {"jfk.webm", {"-c:a", "libopus"}},
        {"jfk.m4a", {"-c:a", "aac", "-movflags", "+faststart"}},
        {"jfk.m4a", {"-c:a", "aac"}},
    };
    for (const auto& [name, args] : files) {
      INFO(name);
      auto bytes = run_ffmpeg(jfk_path(), args, dir.file(name));
      CHECK(code_of_decoding(bytes.substr(0, bytes.size() * 3 / 10))
            == error_code::audio_decode_failed);
    }
  }
  SECTION("the jfk.wav header followed by garbage") {
    auto header = jfk.substr(0, wav.data_offset);
    CHECK(code_of_decoding(header + random_bytes(4096, 7))
          == error_code::audio_decode_failed);
  }
  SECTION("a WAV without samples") {
    auto header = jfk.substr(0, wav.data_offset);
    header.replace(header.size() - 4, 4, std::string(4, '\0'));
    CHECK(code_of_decoding(header) == error_code::audio_decode_failed);
  }
  SECTION("a RIFF WAVE tag followed by garbage") {
    CHECK(code_of_decoding(jfk.substr(0, 12) + random_bytes(16 << 10, 8))
          == error_code::audio_decode_failed);
  }
  SECTION("the first 30% of jfk.wav") {
    CHECK(code_of_decoding(jfk.substr(0, jfk.size() * 3 / 10))
          == error_code::audio_decode_failed);
  }
  SECTION("a video without sound") {
    temp_dir dir;
    auto result = run_command({"/usr/bin/ffmpeg", "-y", "-loglevel", "error",
                               "-f", "lavfi", "-i", "color=c=red:s=32x32:d=1",
                               "-c:v", "mpeg4", dir.file("silent.mkv")});
    REQUIRE(result.exit_status == 0);
    CHECK(code_of_decoding(read_bytes(dir.file("silent.mkv")))
          == error_code::audio_decode_failed);
  }
  SECTION("a file that does not exist") {
    temp_dir dir;
    try {
      decode_audio_file(dir.file("absent.wav"));
      FAIL("decoding succeeded");
    } catch (const audio_error& e) {
      CHECK(e.code() == error_code::audio_decode_failed);
    }
  }
}

TEST_CASE("input over max_bytes is INVALID_REQUEST naming the limit", "[io]") {
  auto jfk = read_bytes(jfk_path());
  audio_limits limits;
  limits.max_bytes = 1000;
  auto message = message_of_decoding(jfk, limits);
  CHECK_THAT(message,
             Catch::Contains("1000 bytes") && Catch::Contains("max_bytes"));
  try {
    decode_audio_file(jfk_path(), limits);
    FAIL("decoding succeeded");
  } catch (const audio_error& e) {
    CHECK(e.code() == error_code::invalid_request);
    CHECK_THAT(e.what(), Catch::Contains("max_bytes"));
  }
  limits.max_bytes = jfk.size();
  CHECK_NOTHROW(decode_audio(jfk, limits));
}

TEST_CASE("audio longer than max_seconds is INVALID_REQUEST naming the limit",
          "[io]") {
  temp_dir dir;
  audio_limits limits;
  limits.max_seconds = 5;
  auto expect_refused = [&](const std::string& bytes) {
    auto message = message_of_decoding(bytes, limits);
    CHECK_THAT(message,
               Catch::Contains("5 s") && Catch::Contains("max_seconds"));
  };

  SECTION("a WAV whose header states its length") {
    expect_refused(read_bytes(jfk_path()));
  }
  SECTION("an mp3 without a length in its header, found while decoding") {
    expect_refused(run_ffmpeg(jfk_path(),
                              {"-c:a", "libmp3lame", "-write_xing", "0"},
                              dir.file("jfk.mp3")));
  }
  SECTION("a WebM stream without a length, as browsers record") {
    auto result =
        run_command({"/usr/bin/ffmpeg", "-loglevel", "error", "-i", jfk_path(),
                     "-c:a", "libopus", "-f", "webm", "pipe:1"});
    REQUIRE(result.exit_status == 0);
    expect_refused(result.out);
  }
  SECTION("audio within the limit") {
    limits.max_seconds = 12;
    CHECK(decode_audio(read_bytes(jfk_path()), limits).duration_seconds
          == Approx(11).margin(0.1));
  }
}

TEST_CASE("playlists and concat scripts cannot make the decoder read local "
          "files",
          "[io]") {
  // Demuxers resolve the names in a script against the working directory,
  // and refuse absolute paths on their own, so the target must be here.
  temp_dir dir;
  auto name = "parley-audio-" + std::to_string(getpid()) + ".mp3";
  auto mp3 = run_ffmpeg(jfk_path(), {"-c:a", "libmp3lame"}, dir.file(name));
  write_bytes(name, mp3);
  struct remove_on_exit {
    std::string path;
    ~remove_on_exit() {
      std::remove(path.c_str());
    }
  } cleanup{name};
  REQUIRE(decode_audio_file(name).format == "mp3");

  CHECK(code_of_decoding("ffconcat version 1.0\nfile " + name + "\n")
        == error_code::audio_decode_failed);
  CHECK(code_of_decoding("#EXTM3U\n#EXT-X-TARGETDURATION:11\n#EXTINF:11,\n"
                         + name + "\n#EXT-X-ENDLIST\n")
        == error_code::audio_decode_failed);
}

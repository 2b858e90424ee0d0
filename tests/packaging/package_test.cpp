// The Debian package as `cpack -G DEB` builds it from this build: what it
// holds, what it depends on, and whether systemd accepts its unit.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace parley::test;

namespace {

// run_command executes a path: each program is found on $PATH through env.

/// Builds the package into `dir` from this build's CPack configuration (it
/// installs the binaries already built, and builds nothing); returns its
/// path, or "" with the reason in `why`.
std::string build_package(const temp_dir& dir, std::string& why) {
  auto build_dir = fs::path{PARLEY_BIN_DIR}.parent_path();
  auto result = run_command({"/usr/bin/env", "cpack", "-G", "DEB", "--config",
                             (build_dir / "CPackConfig.cmake").string(), "-B",
                             dir.path.string()});
  why = result.out + result.err;
  if (result.exit_status != 0)
    return "";
  for (const auto& entry : fs::directory_iterator{dir.path})
    if (entry.path().extension() == ".deb")
      return entry.path().string();
  return "";
}

std::string read_text(const std::string& path) {
  std::ifstream in{path};
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace

TEST_CASE("the Debian package holds the binaries, the configuration and the "
          "unit, and names its dependencies",
          "[package]") {
  temp_dir dir;
  std::string why;
  auto deb = build_package(dir, why);
  INFO(why);
  REQUIRE_FALSE(deb.empty());

  auto contents = run_command({"/usr/bin/env", "dpkg-deb", "-c", deb});
  REQUIRE(contents.exit_status == 0);
  INFO(contents.out);
  CHECK_THAT(contents.out, Catch::Contains("./usr/bin/parleyd"));
  CHECK_THAT(contents.out, Catch::Contains("./usr/bin/parley\n"));
  CHECK_THAT(contents.out,
             Catch::Contains("./usr/lib/parley/libparley_sentencepiece.so"));
  CHECK_THAT(contents.out, Catch::Contains("./etc/parley/parley.toml"));
  CHECK_THAT(contents.out,
             Catch::Contains("./lib/systemd/system/parleyd.service"));

  auto depends =
      run_command({"/usr/bin/env", "dpkg-deb", "-f", deb, "Depends"});
  REQUIRE(depends.exit_status == 0);
  INFO(depends.out);
  // From dpkg-shlibdeps: the libraries the binaries link.
  CHECK_THAT(depends.out, Catch::Contains("libc6"));
  CHECK_THAT(depends.out, Catch::Contains("libzmq5"));
  CHECK_THAT(depends.out, Catch::Contains("libsystemd0"));
  // By hand: what the embedded defaults read or run.
  CHECK_THAT(depends.out, Catch::Contains("apertium-en-es"));
  CHECK_THAT(depends.out, Catch::Contains("pocketsphinx-en-us"));
  CHECK_THAT(depends.out, Catch::Contains("espeak-ng-data"));

  // The operator's edits to the configuration survive upgrades.
  auto control = dir.file("control");
  REQUIRE(
      run_command({"/usr/bin/env", "dpkg-deb", "-e", deb, control}).exit_status
      == 0);
  auto conffiles = read_text((fs::path{control} / "conffiles").string());
  CHECK_THAT(conffiles, Catch::Contains("/etc/parley/parley.toml"));

  // The installed tree: the configuration checks with the packaged parleyd.
  auto root = dir.file("root");
  REQUIRE(run_command({"/usr/bin/env", "dpkg-deb", "-x", deb, root}).exit_status
          == 0);
  auto checked = run_command({root + "/usr/bin/parleyd", "--check-config",
                              root + "/etc/parley/parley.toml"});
  INFO(checked.err);
  CHECK(checked.exit_status == 0);

  auto unit = root + "/lib/systemd/system/parleyd.service";
  auto unit_text = read_text(unit);
  for (const auto* directive :
       {"Type=notify", "DynamicUser=yes", "ProtectSystem=strict",
        "NoNewPrivileges=yes", "Restart=on-failure", "TimeoutStopSec=30",
        "ExecReload=/bin/kill -HUP $MAINPID",
        "ExecStart=/usr/bin/parleyd --config /etc/parley/parley.toml"})
    CHECK_THAT(unit_text, Catch::Contains(std::string{directive} + "\n"));
  auto verify = run_command({"/bin/sh", "-c", "command -v systemd-analyze"});
  if (verify.exit_status != 0) {
    WARN("SKIP: systemd-analyze is not installed; the unit is not verified");
    return;
  }
  // --root: the unit's programs are looked up in the package's tree, and
  // the units it depends on (sysinit.target, ...) in the host's, copied
  // beside; /bin/kill (ExecReload) comes from the host too.
  REQUIRE(fs::exists("/usr/lib/systemd/system"));
  fs::create_directories(root + "/usr/lib/systemd");
  fs::create_directories(root + "/bin");
  REQUIRE(run_command({"/usr/bin/env", "cp", "-a", "/usr/lib/systemd/system",
                       root + "/usr/lib/systemd/"})
              .exit_status
          == 0);
  REQUIRE(run_command({"/usr/bin/env", "cp", "/bin/kill", root + "/bin/kill"})
              .exit_status
          == 0);
  auto verified = run_command(
      {"/usr/bin/env", "systemd-analyze", "verify", "--root=" + root, unit});
  INFO(verified.out << verified.err);
  // Unknown keys and bad values are only warnings ("..., ignoring"), with
  // status 0: the unit must draw none.
  CHECK(verified.err.empty());
  CHECK(verified.exit_status == 0);
}

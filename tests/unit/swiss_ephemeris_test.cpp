// libswe's state of a thread ends with the thread (clients/astro/swiss_ephemeris.hpp): the files a
// worker thread opened are closed when it ends, so threads that come and go leak nothing.
#include "clients/astro/swiss_ephemeris.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <thread>

using namespace nocturna::astro;

namespace {

// How many of this process's open files are Swiss Ephemeris data files (*.se1).
int open_ephemeris_files() {
  int n = 0;
  for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code error;
    const auto target = std::filesystem::read_symlink(fd.path(), error);
    if (!error && target.extension() == ".se1") ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("swiss ephemeris: a thread that calculated closes its ephemeris files when it ends") {
  swiss_ephemeris engine;
  REQUIRE(swe_probe().files);  // swe-basic-data is installed: positions are read from files
  const int before = open_ephemeris_files();
  for (int round = 0; round < 3; ++round) {
    bool calculated = false;
    int open_in_thread = 0;
    std::thread worker([&] {
      calculated = engine.positions(2451545.0).ok();
      open_in_thread = open_ephemeris_files();
    });
    worker.join();
    CHECK(calculated);
    CHECK(open_in_thread > before);  // the thread opened files of its own
    CHECK(open_ephemeris_files() == before);
  }
}

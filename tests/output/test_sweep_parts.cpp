// A sweep's parts folder: claimed with a marker, never someone else's folder;
// parts carry a checksum, so a damaged one is set aside and run again rather
// than merged; ehsim removes only its own files, and the folder only if it made it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "output/hdf5.hpp"
#include "output/sweep_parts.hpp"
#include "support.hpp"

namespace {

using namespace ehsim;
using Catch::Matchers::Contains;
using ehsim::testing::files_in;
using ehsim::testing::read_text;
using ehsim::testing::TempDir;

constexpr std::uint64_t stamp = 0x1234;

void write_runs(const std::filesystem::path& folder, std::uint64_t points, std::uint64_t replicates) {
  for (std::uint64_t p = 0; p < points; ++p)
    for (std::uint64_t r = 0; r < replicates; ++r) output::write_part(folder, stamp, {p, r, {1.0 * p, 2.0 * r, 3.5}});
}

output::PartsFound read(const std::filesystem::path& folder, bool set_aside = false) {
  return output::read_parts(folder, stamp, 2, 2, 3, set_aside);
}

void flip_bit(const std::filesystem::path& path, std::size_t at) {
  std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
  file.seekg(static_cast<std::streamoff>(at));
  char byte = 0;
  file.get(byte);
  file.seekp(static_cast<std::streamoff>(at));
  file.put(static_cast<char>(byte ^ 0x04));
}

}  // namespace

TEST_CASE("a folder that holds a user's files is refused as a parts folder and left as it was", "[output][parts]") {
  const TempDir dir;
  (void)dir.file("thesis.tex", "chapter one\n");
  CHECK_THROWS_WITH(output::claim_parts_folder(dir.path()), Contains("thesis.tex") && Contains("did not make"));
  CHECK(files_in(dir.path()) == std::vector<std::string>{"thesis.tex"});
  CHECK_THROWS_WITH(output::claim_parts_folder(dir.path() / "thesis.tex"), Contains("not a folder"));
}

TEST_CASE("a parts folder ehsim made is removed once released, and an empty one it was given is kept",
          "[output][parts]") {
  const TempDir dir;
  const auto made = dir.path() / "made";
  output::claim_parts_folder(made);
  write_runs(made, 2, 2);
  output::claim_parts_folder(made);  // a resumed sweep reopens its own folder
  CHECK(output::release_parts_folder(made, stamp).empty());
  CHECK_FALSE(std::filesystem::exists(made));

  const auto given = dir.path() / "given";
  std::filesystem::create_directory(given);
  output::claim_parts_folder(given);
  write_runs(given, 2, 2);
  CHECK(output::release_parts_folder(given, stamp).empty());
  CHECK(std::filesystem::is_directory(given));
  CHECK(files_in(given).empty());
}

TEST_CASE("releasing a parts folder leaves whatever ehsim did not make, and the folder with it", "[output][parts]") {
  const TempDir dir;
  const auto folder = dir.path() / "parts";
  output::claim_parts_folder(folder);
  write_runs(folder, 2, 2);
  std::filesystem::create_directory(folder / "x.part");
  std::ofstream(folder / "notes.txt") << "mine\n";
  const auto left = output::release_parts_folder(folder, stamp);
  CHECK(left.size() == 2);
  auto names = files_in(folder);
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"notes.txt", "x.part"});
  CHECK(read_text(folder / "notes.txt") == "mine\n");
}

TEST_CASE("parts read back exactly as written, and entries that are not parts are ignored", "[output][parts]") {
  const TempDir dir;
  output::claim_parts_folder(dir.path() / "p");
  write_runs(dir.path() / "p", 2, 2);
  std::filesystem::create_directory(dir.path() / "p" / "x.part");
  std::ofstream(dir.path() / "p" / "run_a_b.part") << "not a part name\n";
  const auto found = read(dir.path() / "p");
  CHECK(found.damaged.empty());
  REQUIRE(found.runs.size() == 4);
  CHECK(found.runs.at(3).point == 1);
  CHECK(found.runs.at(3).replicate == 1);
  CHECK(found.runs.at(3).measures == std::vector<double>{1.0, 2.0, 3.5});
}

TEST_CASE("a part with one bit flipped, or truncated, is damaged: reported, never returned, and set aside",
          "[output][parts]") {
  const TempDir dir;
  const auto folder = dir.path() / "p";
  output::claim_parts_folder(folder);
  write_runs(folder, 2, 2);
  flip_bit(folder / "run_0_1.part", 50);  // in the measures
  std::filesystem::resize_file(folder / "run_1_0.part", 20);
  const auto looked = read(folder);
  CHECK(looked.runs.size() == 2);
  CHECK(looked.runs.count(1) == 0);
  CHECK(looked.runs.count(2) == 0);
  REQUIRE(looked.damaged.size() == 2);
  CHECK(std::filesystem::exists(folder / "run_0_1.part"));  // looking sets nothing aside

  const auto set_aside = read(folder, /*set_aside=*/true);
  CHECK(set_aside.runs.size() == 2);
  const auto notes = set_aside.damaged.front() + set_aside.damaged.back();
  CHECK_THAT(notes, Contains("checksum does not match") && Contains("truncated") && Contains("set aside"));
  CHECK(std::filesystem::exists(folder / "run_0_1.part.damaged-0000000000001234"));
  CHECK_FALSE(std::filesystem::exists(folder / "run_0_1.part"));
  // Run again, the two are written afresh and all four read back.
  output::write_part(folder, stamp, {0, 1, {0.0, 2.0, 3.5}});
  output::write_part(folder, stamp, {1, 0, {1.0, 0.0, 3.5}});
  CHECK(read(folder).runs.size() == 4);
  CHECK(output::release_parts_folder(folder, stamp).empty());  // damaged parts are ehsim's own, removed too
}

TEST_CASE("a sound part of a run outside the design is damaged, and one of another sweep is an error",
          "[output][parts]") {
  const TempDir dir;
  const auto folder = dir.path() / "p";
  output::claim_parts_folder(folder);
  output::write_part(folder, stamp, {5, 0, {1.0, 2.0, 3.0}});
  CHECK_THAT(read(folder).damaged.front(), Contains("outside the sweep's design"));
  std::filesystem::remove(folder / "run_5_0.part");
  output::write_part(folder, stamp + 1, {0, 0, {1.0, 2.0, 3.0}});
  CHECK_THROWS_WITH(read(folder), Contains("a different sweep"));
}

TEST_CASE("a folder holding another sweep's parts is refused before any part in it is set aside or removed",
          "[output][parts]") {
  const TempDir dir;
  const auto folder = dir.path() / "p";
  output::claim_parts_folder(folder);
  // Another sweep's parts, one of a point beyond this sweep's design, and one of ours damaged.
  output::write_part(folder, stamp + 1, {7, 0, {1.0, 2.0, 3.0}});
  output::write_part(folder, stamp + 1, {0, 0, {1.0, 2.0, 3.0}});
  output::write_part(folder, stamp, {1, 1, {1.0, 2.0, 3.0}});
  std::filesystem::resize_file(folder / "run_1_1.part", 20);
  CHECK_THROWS_WITH(read(folder, /*set_aside=*/true), Contains("a different sweep"));
  auto names = files_in(folder);
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{".ehsim-parts", "run_0_0.part", "run_1_1.part", "run_7_0.part"});
}

TEST_CASE("releasing a parts folder removes only the damaged parts this sweep set aside", "[output][parts]") {
  const TempDir dir;
  const auto folder = dir.path() / "p";
  output::claim_parts_folder(folder);
  std::ofstream(folder / "run_0_0.part.damaged-00000000000abcde") << "another sweep's\n";
  const auto left = output::release_parts_folder(folder, stamp);
  REQUIRE(left.size() == 1);
  CHECK_THAT(left.front(), Contains("run_0_0.part.damaged-00000000000abcde"));
  CHECK(std::filesystem::exists(folder / "run_0_0.part.damaged-00000000000abcde"));
}

TEST_CASE("shards claiming one new folder at once: an ehsim marker on its way in is not a user's file",
          "[output][parts]") {
  const TempDir dir;
  const auto folder = dir.path() / "p";
  std::filesystem::create_directory(folder);
  std::ofstream(folder / (std::string(output::parts_marker) + ".tmp-99999")) << "ehsim sweep parts\n";
  CHECK_NOTHROW(output::claim_parts_folder(folder));
}

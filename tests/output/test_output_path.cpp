// Where results may be written: ehsim replaces only a file it wrote (or any
// with --force), never an input, a folder or a device, and follows a link to
// its file rather than replacing the link.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <hdf5.h>

#include "engine/model.hpp"
#include "engine/run.hpp"
#include "output/hdf5.hpp"
#include "output/output_path.hpp"
#include "output/results_file.hpp"
#include "output/results_fixture.hpp"
#include "support.hpp"

namespace {

using namespace ehsim;
using Catch::Matchers::Contains;
using ehsim::testing::read_text;
using ehsim::testing::TempDir;

// A small results file written by ehsim at `path`.
void write_small_results(const std::filesystem::path& path) {
  testing::SmallResults(testing::small_default(200, 2), false).write(path);
}

}  // namespace

TEST_CASE("a device, a folder or a pipe is never an output", "[output][paths]") {
  const TempDir dir;
  CHECK_THROWS_WITH(output::resolve_output({"/dev/null"}), Contains("it is a device"));
  CHECK_THROWS_WITH(output::resolve_output({"/dev/null", "--out", /*force=*/true}), Contains("it is a device"));
  CHECK_THROWS_WITH(output::resolve_output({dir.path()}), Contains("it is a folder"));
  CHECK_THROWS_WITH(output::resolve_output({dir.path() / "."}), Contains("an output file name is needed"));
}

TEST_CASE("an input of the command is never its output, even with --force or through a link", "[output][paths]") {
  const TempDir dir;
  const auto input = dir.file("my.toml", "name = \"mine\"\n");
  std::filesystem::create_symlink(input, dir.path() / "alias.toml");
  for (const bool force : {false, true}) {
    CHECK_THROWS_WITH(output::resolve_output({input, "--out", force, {input}}), Contains("an input of this command"));
    CHECK_THROWS_WITH(output::resolve_output({dir.path() / "alias.toml", "--out", force, {input}}),
                      Contains("an input of this command"));
  }
  CHECK(read_text(input) == "name = \"mine\"\n");
}

TEST_CASE("a file ehsim did not write, or a read-only one, is replaced only with --force", "[output][paths]") {
  const TempDir dir;
  const auto thesis = dir.file("thesis.h5", "not results\n");
  CHECK_THROWS_WITH(output::resolve_output({thesis}), Contains("not one ehsim wrote") && Contains("--force"));
  CHECK(output::resolve_output({thesis, "--out", true}) == thesis);
  const auto results = dir.path() / "results.h5";
  write_small_results(results);
  CHECK(output::is_ehsim_file(results));
  CHECK(output::resolve_output({results}) == results);  // ehsim's own: replaced like any build output
  std::filesystem::permissions(
      results,
      std::filesystem::perms::owner_write | std::filesystem::perms::group_write | std::filesystem::perms::others_write,
      std::filesystem::perm_options::remove);
  CHECK_THROWS_WITH(output::resolve_output({results}), Contains("read-only"));
  CHECK(output::resolve_output({results, "--out", true}) == results);
}

TEST_CASE("an HDF5 file without ehsim's format attribute is not ehsim's", "[output][paths]") {
  const TempDir dir;
  const auto path = dir.path() / "other.h5";
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  REQUIRE(file >= 0);
  output::set_attribute(file, "format", std::string("someone else's 2"));
  H5Fclose(file);
  CHECK_FALSE(output::is_ehsim_file(path));
  CHECK_FALSE(output::is_ehsim_file(dir.file("text.h5", "text")));
  CHECK_FALSE(output::is_ehsim_file(dir.path() / "missing.h5"));
}

TEST_CASE("a link is followed: its file is replaced and the link stays, and a dangling link is refused",
          "[output][paths]") {
  const TempDir dir;
  const auto target = dir.path() / "real.h5";
  write_small_results(target);
  const auto link = dir.path() / "link.h5";
  std::filesystem::create_symlink(target, link);
  const auto resolved = output::resolve_output({link});
  CHECK(std::filesystem::equivalent(resolved, target));
  write_small_results(resolved);
  CHECK(std::filesystem::is_symlink(std::filesystem::symlink_status(link)));
  CHECK(output::is_ehsim_file(link));
  std::filesystem::create_symlink(dir.path() / "nowhere.h5", dir.path() / "dangling.h5");
  CHECK_THROWS_WITH(output::resolve_output({dir.path() / "dangling.h5"}), Contains("does not exist"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "nowhere.h5"));
}

TEST_CASE("a file or a link standing at a temporary's name is refused and left as it was, never removed",
          "[output][paths]") {
  const TempDir dir;
  const auto target = dir.file("mine.txt", "mine\n");
  const auto taken = dir.file("taken.tmp", "someone's\n");
  std::filesystem::create_symlink(target, dir.path() / "link.tmp");
  CHECK_THROWS_WITH(output::write_bytes(taken, {'x'}), Contains("already stands"));
  CHECK_THROWS_WITH(output::write_bytes(dir.path() / "link.tmp", {'x'}), Contains("already stands"));
  CHECK(read_text(taken) == "someone's\n");
  CHECK(read_text(target) == "mine\n");
  CHECK(std::filesystem::is_symlink(std::filesystem::symlink_status(dir.path() / "link.tmp")));
  // The results' own temporary name taken: refused before any work, and the file kept.
  const auto results = dir.path() / "r.h5";
  const auto temporary = output::temporary_name(results);
  std::ofstream(temporary) << "someone's\n";
  CHECK_THROWS_WITH(output::resolve_output({results}), Contains("already stands"));
  CHECK(read_text(temporary) == "someone's\n");
}

// The command line never loses a user's file and never misreads a number:
// --out over an input, a device, a foreign or read-only file; strict integers
// and shards; and a word when a service can take no cases.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "cli/commands.hpp"
#include "config/load.hpp"
#include "support.hpp"

namespace {

using namespace ehsim;
using Catch::Matchers::Contains;
using ehsim::testing::read_text;
using ehsim::testing::run_ehsim;
using ehsim::testing::source_path;
using ehsim::testing::TempDir;

std::string default_config() { return source_path("configs/default.toml").string(); }

// A tiny run of the default into `out`, with extra arguments.
testing::CliResult tiny_run(const std::filesystem::path& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"run", "--families", "100", "--months", "1", "--out", out.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_ehsim(args);
}

}  // namespace

TEST_CASE("ehsim run --out naming its own configuration, or a file it extends, exits 2 and leaves it", "[cli][paths]") {
  const TempDir dir;
  const auto base = dir.file("base.toml", "extends = " + config::quote_string(default_config()) + "\n");
  const auto mine = dir.file("my.toml", "extends = \"base.toml\"\n");
  for (const auto& out : {mine, base}) {
    const auto result =
        run_ehsim({"run", mine.string(), "--families", "100", "--months", "1", "--force", "--out", out.string()});
    CHECK(result.status == cli::exit_bad_input);
    CHECK_THAT(result.err, Contains("an input of this command"));
  }
  CHECK(read_text(mine) == "extends = \"base.toml\"\n");
  CHECK_THAT(read_text(base), Contains("extends = "));
}

TEST_CASE("ehsim run --out over a scenario file exits 2 and leaves it", "[cli][paths]") {
  const TempDir dir;
  const auto option = dir.file("option.toml", "[services.intensive_family_service]\ncapacity_cases = 200\n");
  const auto result = tiny_run(option, {"--scenario", option.string(), "--force"});
  CHECK(result.status == cli::exit_bad_input);
  CHECK(read_text(option) == "[services.intensive_family_service]\ncapacity_cases = 200\n");
}

TEST_CASE("ehsim run --out over a device exits 2 and the device stays a device", "[cli][paths]") {
  const auto result = tiny_run("/dev/null", {"--force"});
  CHECK(result.status == cli::exit_bad_input);
  CHECK_THAT(result.err, Contains("it is a device"));
  CHECK(std::filesystem::is_character_file("/dev/null"));
}

TEST_CASE("ehsim run replaces its own results, but another file only with --force", "[cli][paths]") {
  const TempDir dir;
  const auto out = dir.path() / "r.h5";
  REQUIRE(tiny_run(out).status == cli::exit_ok);
  CHECK(tiny_run(out).status == cli::exit_ok);  // run again: the results are replaced
  const auto notes = dir.file("notes.h5", "my notes\n");
  const auto refused = tiny_run(notes);
  CHECK(refused.status == cli::exit_bad_input);
  CHECK_THAT(refused.err, Contains("not one ehsim wrote") && Contains("--force"));
  CHECK(read_text(notes) == "my notes\n");
  CHECK(tiny_run(notes, {"--force"}).status == cli::exit_ok);
  CHECK(read_text(notes) != "my notes\n");
}

TEST_CASE("ehsim run through a link writes the linked file and keeps the link", "[cli][paths]") {
  const TempDir dir;
  const auto target = dir.path() / "real.h5";
  REQUIRE(tiny_run(target).status == cli::exit_ok);
  const auto before = std::filesystem::last_write_time(target);
  std::filesystem::create_symlink("real.h5", dir.path() / "link.h5");
  REQUIRE(tiny_run(dir.path() / "link.h5").status == cli::exit_ok);
  CHECK(std::filesystem::is_symlink(std::filesystem::symlink_status(dir.path() / "link.h5")));
  CHECK(std::filesystem::last_write_time(target) >= before);
  CHECK(testing::files_in(dir.path()).size() == 2);  // no temporary left beside them
}

TEST_CASE("integer options refuse overflow, signs and trailing characters, saying what a valid value is",
          "[cli][numbers]") {
  const TempDir dir;
  const auto out = dir.path() / "r.h5";
  for (const auto& [option, value] :
       std::vector<std::pair<std::string, std::string>>{{"--seed", "99999999999999999999"},
                                                        {"--seed", "-1"},
                                                        {"--seed", "+5"},
                                                        {"--months", "12x"},
                                                        {"--months", " 12"},
                                                        {"--families", "1e3"},
                                                        {"--replicates", "0x10"},
                                                        {"--threads", "-2"}}) {
    const auto result = tiny_run(out, {option, value});
    INFO(option << " " << value);
    CHECK(result.status == cli::exit_bad_input);
    CHECK_THAT(result.err, Contains("expected a whole number from") && Contains(value));
  }
  CHECK(tiny_run(out, {"--seed", "9223372036854775807"}).status == cli::exit_ok);
}

TEST_CASE("ehsim sweep --shard accepts only i/n with 0 <= i < n, each digits only", "[cli][numbers]") {
  const TempDir dir;
  const auto sweep = dir.file("s.toml",
                              "design = \"grid\"\nmonths = 1\n[[parameters]]\n"
                              "key = \"services.intensive_family_service.capacity_cases\"\nvalues = [120]\n");
  const auto out = (dir.path() / "s.h5").string();
  for (const std::string shard : {"0/-1", "1/2x", "-1/2", "1", "/2", "0/", "99999999999999999999999/2", "0 /2"}) {
    const auto result = run_ehsim({"sweep", sweep.string(), "--out", out, "--shard", shard});
    INFO(shard);
    CHECK(result.status == cli::exit_bad_input);
    CHECK_THAT(result.err, Contains("expected i/n"));
  }
  CHECK_THAT(run_ehsim({"sweep", sweep.string(), "--out", out, "--shard", "0/0"}).err,
             Contains("the number of shards, must be at least 1"));
  CHECK_THAT(run_ehsim({"sweep", sweep.string(), "--out", out, "--shard", "2/2"}).err, Contains("i must be 0 to 1"));
  CHECK(testing::files_in(dir.path()) == std::vector<std::string>{"s.toml"});
}

TEST_CASE("a service nothing routes to is named in a warning on validate and on run", "[cli]") {
  const TempDir dir;
  const std::string hub =
      "[services.family_hub]\nlabel = \"Family hub\"\nlevels = [\"additional\"]\nkind = \"early_help\"\n"
      "capacity_cases = 100\nduration_mean_months = 6\ncost_per_case_month_gbp = 300\n"
      "payer = \"childrens_services\"\n";
  const auto config = dir.file("hub.toml", "extends = " + config::quote_string(default_config()) + "\n" + hub);
  const auto validated = run_ehsim({"validate", config.string()});
  CHECK(validated.status == cli::exit_ok);
  CHECK_THAT(validated.err, Contains("warning") && Contains("services.family_hub") && Contains("takes no cases"));
  const auto option = dir.file("add_hub.toml", hub);
  const auto ran = tiny_run(dir.path() / "r.h5", {"--scenario", option.string()});
  CHECK(ran.status == cli::exit_ok);
  CHECK_THAT(ran.err, Contains("add_hub.toml: services.family_hub"));
  // The default reaches every service it has: no warning.
  CHECK(run_ehsim({"validate", default_config()}).err.empty());
}

TEST_CASE("ehsim sweep refuses --out inside its parts folder, which it empties once the sweep is assembled",
          "[cli][paths]") {
  const TempDir dir;
  const auto sweep = dir.file("s.toml",
                              "design = \"grid\"\nmonths = 1\n[[parameters]]\n"
                              "key = \"services.intensive_family_service.capacity_cases\"\nvalues = [120]\n");
  const auto parts = dir.path() / "parts";
  std::filesystem::create_directory(parts);
  const auto result =
      run_ehsim({"sweep", sweep.string(), "--out", (parts / "run_0_0.part").string(), "--parts", parts.string()});
  CHECK(result.status == cli::exit_bad_input);
  CHECK_THAT(result.err, Contains("inside the parts folder"));
  CHECK(testing::files_in(parts).empty());
}

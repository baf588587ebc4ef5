// Inputs that could crash ehsim or exhaust the machine are refused before any
// work, each with the file, line and key: deep nesting, long extends chains,
// special files, unbounded projections and sweeps, and uncertainty that could
// draw a value its key cannot take.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include <sys/stat.h>

#include "config/limits.hpp"
#include "config/load.hpp"
#include "config/sweep.hpp"
#include "config/toml_text.hpp"
#include "experiment/uncertainty.hpp"
#include "support.hpp"

namespace {

using namespace ehsim;
using Catch::Matchers::Contains;
using ehsim::testing::source_path;
using ehsim::testing::TempDir;

std::string extends_default() {
  return "extends = " + config::quote_string(source_path("configs/default.toml").string()) + "\n";
}

// The one issue a ConfigError carries, or fails the test.
config::ConfigIssue only_issue(const std::function<void()>& load) {
  try {
    load();
  } catch (const config::ConfigError& error) {
    REQUIRE(error.issues().size() == 1);
    return error.issues().front();
  }
  FAIL("no ConfigError was thrown");
  return {};
}

}  // namespace

TEST_CASE("arrays nested 10,000 deep are refused with their line, not parsed into a stack overflow",
          "[config][bounds]") {
  const std::string text = "name = \"x\"\nx = " + std::string(10000, '[') + std::string(10000, ']') + "\n";
  const auto issue = only_issue([&] { (void)config::load_authority_text(text, "deep.toml"); });
  CHECK(issue.where.file == "deep.toml");
  CHECK(issue.where.line == 2);
  CHECK_THAT(issue.message, Contains("nested more than 32 deep"));
}

TEST_CASE("inline tables nested too deep and keys of too many dotted parts are refused", "[config][bounds]") {
  std::string inline_tables = "x = ";
  for (int i = 0; i < 5000; ++i) inline_tables += "{a=";
  inline_tables += "1" + std::string(5000, '}') + "\n";
  CHECK_THAT(only_issue([&] { (void)config::parse_toml_text(inline_tables, "t.toml"); }).message,
             Contains("nested more than"));
  std::string dotted;
  for (int i = 0; i < 100000; ++i) dotted += "a.";
  CHECK_THAT(only_issue([&] { (void)config::parse_toml_text(dotted + "b = 1\n", "t.toml"); }).message,
             Contains("dotted parts"));
  CHECK_THAT(only_issue([&] { (void)config::parse_toml_text("[" + dotted + "b]\n", "t.toml"); }).message,
             Contains("dotted parts"));
}

TEST_CASE("a multi-line string closed by four or five quotes ends after all of them, hiding no brackets",
          "[config][bounds]") {
  // Found by the fuzz target: """a"""" is the string a", and the nesting
  // check once ended it after three quotes, reading the fourth as a new string.
  for (const std::string quotes : {R"("""a"""")", R"('''a'''')", R"("""a""""")", R"('''a''''')"}) {
    const std::string text = "x = [" + quotes + ", " + std::string(10000, '[') + std::string(10000, ']') + "]\n";
    INFO(quotes);
    CHECK_THAT(only_issue([&] { (void)config::parse_toml_text(text, "t.toml"); }).message,
               Contains("nested more than"));
  }
  CHECK(config::parse_toml_text(R"(x = """a"""")"
                                "\n",
                                "t.toml")
            .as_table()
            .at("x")
            .as_string()
            .str == "a\"");
}

TEST_CASE("text that is not UTF-8 is refused with its line before the TOML parser sees it", "[config][bounds]") {
  // Found by the fuzz target: toml11 reads past its buffer on '\xa2'.
  for (const std::string& bad :
       {std::string("'\xa2'"), std::string("a = \"\xc0\xaf\""), std::string("a = \"\xed\xa0\x80\""),
        std::string("a = \"\xf4\x90\x80\x80\""), std::string("a = \"\xe2\x82\"")}) {
    const auto issue = only_issue([&] { (void)config::parse_toml_text("x = 1\n" + bad + "\n", "t.toml"); });
    CHECK(issue.where.line == 2);
    CHECK_THAT(issue.message, Contains("not valid UTF-8"));
  }
  // Every kind of valid sequence passes: a pound sign, an en dash, an emoji.
  CHECK(config::parse_toml_text("a = \"\xc2\xa3 \xe2\x80\x93 \xf0\x9f\x98\x80\"\n", "t.toml")
            .as_table()
            .at("a")
            .as_string()
            .str.size() == 11);
}

TEST_CASE("nesting is counted outside strings and comments, so brackets in them and empty tables are fine",
          "[config][bounds]") {
  const std::string brackets(100, '[');
  const std::string text = "a = \"" + brackets + "\"\nb = '" + brackets + "'\nc = \"\"\"\n" + brackets +
                           "\n\"\"\"\n# " + brackets + "\nd = {}\ne = [[1, 2], [3]]\n[f.g]\nh = {i = {j = 1}}\n";
  const auto document = config::parse_toml_text(text, "t.toml");
  CHECK(document.as_table().at("a").as_string().str == brackets);
  CHECK(document.as_table().at("e").as_array().size() == 2);
  // The resolved default writes empty inline tables (placement_shares = {}) and loads again.
  const auto resolved = config::to_toml(config::default_authority());
  CHECK_NOTHROW(config::load_authority_text(resolved, "<resolved>"));
}

TEST_CASE("an extends chain longer than 16 files is refused at the extends key that goes too far", "[config][bounds]") {
  const TempDir dir;
  (void)dir.file("f0.toml", extends_default());
  for (int i = 1; i <= 40; ++i)
    (void)dir.file("f" + std::to_string(i) + ".toml", "extends = \"f" + std::to_string(i - 1) + ".toml\"\n");
  CHECK_NOTHROW(config::load_authority_file(dir.path() / "f14.toml"));  // 15 files and the default: 16
  const auto issue = only_issue([&] { (void)config::load_authority_file(dir.path() / "f40.toml"); });
  CHECK(issue.key == "extends");
  CHECK(issue.where.line == 1);
  CHECK_THAT(issue.message, Contains("more than 16 files"));
}

TEST_CASE("an extends cycle is found and named", "[config][bounds]") {
  const TempDir dir;
  (void)dir.file("a.toml", "extends = \"b.toml\"\n");
  (void)dir.file("b.toml", "extends = \"a.toml\"\n");
  const auto issue = only_issue([&] { (void)config::load_authority_file(dir.path() / "a.toml"); });
  CHECK(issue.key == "extends");
  CHECK_THAT(issue.message, Contains("cycle"));
}

TEST_CASE("special files are refused as configuration sources, with the key that names them", "[config][bounds]") {
  const TempDir dir;
  const auto proc = dir.file("proc.toml", "extends = \"/proc/self/status\"\n");
  auto issue = only_issue([&] { (void)config::load_authority_file(proc); });
  CHECK(issue.key == "extends");
  CHECK(issue.where.line == 1);
  CHECK_THAT(issue.message, Contains("special file of the kernel"));
  issue = only_issue([&] { (void)config::load_authority_file("/dev/null"); });
  CHECK_THAT(issue.message, Contains("not a regular file"));
  const auto fifo = dir.path() / "pipe.toml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  issue = only_issue([&] { (void)config::load_authority_file(fifo); });
  CHECK_THAT(issue.message, Contains("not a regular file"));
  issue = only_issue([&] { (void)config::load_authority_file(dir.path()); });
  CHECK_THAT(issue.message, Contains("a folder"));
}

TEST_CASE("a configuration file over 16 MiB is refused without parsing it", "[config][bounds]") {
  const TempDir dir;
  const auto big = dir.file("big.toml", extends_default() + "# " + std::string(17u << 20, 'x') + "\n");
  CHECK_THAT(only_issue([&] { (void)config::load_authority_file(big); }).message, Contains("larger than 16 MiB"));
}

TEST_CASE("growth that projects more families than can be held is refused at growth_per_year", "[config][bounds]") {
  const std::string text = extends_default() + "[simulation]\nmonths = 1200\n[population]\ngrowth_per_year = 0.5\n";
  const auto issue = only_issue([&] { (void)config::load_authority_text(text, "grow.toml"); });
  CHECK(issue.key == "population.growth_per_year");
  CHECK(issue.where.line == 5);
  CHECK_THAT(issue.message, Contains("families by the last of 1200 months"));
  // The same growth over ten years is a projection ehsim can run.
  CHECK_NOTHROW(config::load_authority_text(
      extends_default() + "[simulation]\nmonths = 120\n[population]\ngrowth_per_year = 0.5\n", "grow.toml"));
}

TEST_CASE("a sweep too large to run is counted and refused before any point is made", "[config][bounds]") {
  const TempDir dir;
  std::string text = "design = \"grid\"\n";
  for (const char* key : {"capacity_cases", "escalation_hazard_ratio", "consent_probability",
                          "dropout_hazard_per_month", "duration_mean_months", "cost_per_case_month_gbp"}) {
    text += "[[parameters]]\nkey = \"services.intensive_family_service.";
    text += key;
    text += "\"\nvalues = [";
    for (int v = 0; v < 50; ++v) text += (v ? ", " : "") + std::to_string(0.5 + v / 100.0);
    text += "]\n";
  }
  const auto path = dir.file("big.toml", text);
  const auto issue = only_issue([&] { (void)config::load_sweep(path); });
  CHECK(issue.key == "parameters");
  CHECK_THAT(issue.message, Contains("1.5625e+10 points"));
  config::SweepConfig morris;
  morris.design = config::Design::morris;
  morris.points = 1000;
  morris.parameters.resize(9);
  CHECK(config::design_points(morris) == 10000);
}

TEST_CASE("an uncertainty interval outside its key's range is refused at the end that leaves it", "[config][bounds]") {
  const std::string text = extends_default() +
                           "[[uncertainty]]\nkey = \"services.intensive_family_service.consent_probability\"\n"
                           "distribution = \"normal\"\nlow = 0.8\nhigh = 1.2\n";
  const auto issue = only_issue([&] { (void)config::load_authority_text(text, "u.toml"); });
  CHECK(issue.key == "uncertainty[0].high");
  CHECK(issue.where.line == 6);
  CHECK_THAT(issue.message, Contains("outside the range of services.intensive_family_service.consent_probability"));
}

TEST_CASE("a normal on a probability whose tail passes 1 draws only values in [0, 1], from the truncated normal",
          "[config][bounds]") {
  config::Authority authority = config::load_authority_text(
      extends_default() +
          "[[uncertainty]]\nkey = \"services.intensive_family_service.consent_probability\"\n"
          "distribution = \"normal\"\nlow = 0.8\nhigh = 1.0\n",
      "u.toml");
  const int replicates = 4000;
  int below_low = 0, above_high = 0;
  for (int r = 0; r < replicates; ++r) {
    const double value = experiment::draw_uncertain(authority, 7, static_cast<std::uint32_t>(r)).front();
    REQUIRE(value >= 0.0);
    REQUIRE(value <= 1.0);
    below_low += value < 0.8;
    above_high += value >= 1.0;
    // Every draw makes a configuration that loads.
    if (r < 20) CHECK_NOTHROW(config::with_numbers(authority, {authority.uncertainty[0].key}, {value}));
  }
  CHECK(above_high == 0);
  // 2.5% of the normal lies below 0.8, and 2.5% / 97.5% of the truncated one.
  CHECK(below_low / static_cast<double>(replicates) == Approx(0.025 / 0.975).margin(0.008));
}

TEST_CASE("the range of a dotted key is found through named tables, lists of tables and tables of numbers",
          "[config][bounds]") {
  CHECK(config::key_bounds("services.anything.consent_probability")->max == 1.0);
  CHECK(config::key_bounds("levels[2].up_hazard_per_month").has_value());
  CHECK(config::key_bounds("services.x.capacity_from_month.2026-04").has_value());
  CHECK(config::key_bounds("population.families")->max == 1.0e8);
  CHECK_FALSE(config::key_bounds("services.x.label").has_value());
  CHECK_FALSE(config::key_bounds("no.such.key").has_value());
}

#include <hdf5.h>
#include <catch2/catch.hpp>

#include "engine/model.hpp"
#include "engine/run.hpp"
#include "output/hdf5.hpp"
#include "output/output_path.hpp"
#include "output/results_file.hpp"
#include "output/results_fixture.hpp"
#include "support.hpp"

using namespace ehsim;

namespace {

std::string string_attribute(hid_t object, const char* name) {
  const hid_t attribute = H5Aopen(object, name, H5P_DEFAULT);
  REQUIRE(attribute >= 0);
  const hid_t type = H5Aget_type(attribute);
  char* value = nullptr;
  REQUIRE(H5Aread(attribute, type, &value) >= 0);
  std::string text = value;
  H5free_memory(value);
  H5Tclose(type);
  H5Aclose(attribute);
  return text;
}

}  // namespace

TEST_CASE("the results file appears complete under its name and leaves no temporary file", "[output]") {
  const testing::TempDir dir;
  const testing::SmallResults small(testing::small_default(500, 6), true);
  const auto path = dir.path() / "r.h5";
  small.write(path, {"ehsim run test", "test", 1, {}});
  CHECK(testing::files_in(dir.path()) == std::vector<std::string>{"r.h5"});

  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);
  CHECK(string_attribute(file, "format") == "ehsim results 1");
  CHECK(string_attribute(file, "command_line") == "ehsim run test");
  for (const char* dataset : {"baseline/replicate_0000/monthly/flows", "baseline/replicate_0000/initial/stock_families",
                              "baseline/replicate_0000/trajectories/level", "axes/month"}) {
    INFO(dataset);
    const hid_t handle = H5Dopen2(file, dataset, H5P_DEFAULT);
    REQUIRE(handle >= 0);
    CHECK_FALSE(string_attribute(handle, "description").empty());
    H5Dclose(handle);
  }
  H5Fclose(file);
}

TEST_CASE("an output path in a missing folder or that is a folder is refused before anything is written", "[output]") {
  const testing::TempDir dir;
  CHECK_THROWS_WITH(output::resolve_output({dir.path() / "missing" / "r.h5"}), Catch::Contains("does not exist"));
  CHECK_THROWS_WITH(output::resolve_output({dir.path()}), Catch::Contains("is a folder"));
  const testing::SmallResults small(testing::small_default(200, 3), false);
  CHECK_THROWS_AS(small.write(dir.path() / "missing" / "r.h5"), output::OutputError);
  CHECK(testing::files_in(dir.path()).empty());
}

TEST_CASE("a write that fails part-way leaves no file at all", "[output]") {
  const testing::TempDir dir;
  testing::SmallResults small(testing::small_default(200, 3), false);
  // Two scenarios with the same name: the second group cannot be created.
  small.scenarios.push_back(small.scenarios.front());
  small.summary.scenarios.push_back(small.summary.scenarios.front());
  CHECK_THROWS_AS(small.write(dir.path() / "r.h5"), output::OutputError);
  CHECK(testing::files_in(dir.path()).empty());
}

TEST_CASE("docs/output.md lists exactly the datasets a run writes", "[output][docs]") {
  const std::string doc = testing::read_text(testing::source_path("docs/output.md"));
  const std::string begin = "<!-- datasets:begin -->\n";
  const auto from = doc.find(begin);
  const auto to = doc.find("<!-- datasets:end -->");
  REQUIRE(from != std::string::npos);
  REQUIRE(to != std::string::npos);
  INFO("Regenerate the table with: build/ehsim schema --output-datasets");
  CHECK(doc.substr(from + begin.size(), to - from - begin.size()) == output::output_reference_markdown());
}

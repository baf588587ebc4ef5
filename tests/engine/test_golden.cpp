// The golden-output test: a small fixed configuration's results, digested,
// must equal the committed digest. A change in model behaviour changes the
// digest; update tests/golden/golden.digest in the same commit, on purpose,
// with the reason in the commit message.
#include <string>

#include <catch2/catch.hpp>

#include "engine/model.hpp"
#include "engine/run.hpp"
#include "engine/run_digest.hpp"
#include "support.hpp"

using namespace ehsim;
using namespace ehsim::engine;

TEST_CASE("the golden configuration gives the committed results digest", "[engine][golden]") {
  const auto authority = config::load_authority_file(testing::source_path("tests/golden/golden.toml"));
  const Model model = build_model(authority);
  const RunResult run = simulate(model, {static_cast<std::uint64_t>(authority.simulation.seed), 0, true});
  std::string expected = testing::read_text(testing::source_path("tests/golden/golden.digest"));
  expected = expected.substr(0, expected.find_first_of(" \n"));
  const std::string actual = testing::digest_of(run);
  INFO("If model behaviour changed on purpose, write " << actual
                                                       << " to tests/golden/golden.digest and say why in the commit.");
  CHECK(actual == expected);
}

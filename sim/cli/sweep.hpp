// `ehsim sweep` and `ehsim merge`: a parameter sweep run over every core,
// committed run by run so that it resumes after an interruption, optionally
// one shard of several, and assembled into one HDF5 file.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace ehsim::cli {

struct SweepOptions {
  std::string path;
  std::string out = "out/sweep.h5";
  std::vector<std::string> parts;  // folders of committed runs; default: OUT.parts
  std::string shard;               // "i/n": run part i of n (0-based); empty: all
  int threads = 0;
  bool progress = true;
  bool force = false;  // may replace an existing --out that ehsim did not write
};

int run_sweep(const SweepOptions& options, const std::string& invocation, std::ostream& out, std::ostream& err);
int merge_sweep(const SweepOptions& options, const std::string& invocation, std::ostream& out, std::ostream& err);

}  // namespace ehsim::cli

// Where a result may be written, decided before any work: ehsim replaces only
// what it wrote itself unless told to (--force), never an input of the same
// run, never a folder, device or pipe; a link is followed to its file. A file
// is written under a temporary name beside its final one and renamed over it
// when complete, and the folder is synced so that the rename survives a crash.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace ehsim::output {

struct OutputRequest {
  std::filesystem::path path;                 // as the user gave it
  std::string option = "--out";               // how the user gave it, for messages
  bool force = false;                         // may replace an existing file ehsim did not write
  std::vector<std::filesystem::path> inputs;  // every file the command reads
};

// Checks the request and returns the path the file will be written to: the
// path itself, or the file a symbolic link at it points to. Throws
// OutputError, naming the path and the way out, when it may not be written.
std::filesystem::path resolve_output(const OutputRequest& request);

// The first characters of every text file ehsim writes (calibrate's overlays).
inline constexpr std::string_view text_marker = "# Written by ehsim";

// Whether `path` is a file ehsim wrote: HDF5 whose root attribute "format"
// begins "ehsim " (results, sweeps, calibration traces), or text that begins
// with text_marker.
bool is_ehsim_file(const std::filesystem::path& path);

// Throws OutputError when the folder is missing or not writable (by creating
// and removing the temporary file the result would be written to).
void check_writable(const std::filesystem::path& path);

// The temporary name a result is written under, beside `path`, unique to this process.
std::filesystem::path temporary_name(const std::filesystem::path& path);

// Writes a text file whole: under its temporary name, synced, then renamed
// over `path` (one resolve_output allowed).
void write_text_file(const std::filesystem::path& path, const std::string& text);

// Renames a complete temporary file to its final name and syncs the folder.
void commit_file(const std::filesystem::path& temporary, const std::filesystem::path& final_path);

}  // namespace ehsim::output

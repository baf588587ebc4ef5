#include "output/output_path.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include <fcntl.h>
#include <hdf5.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/hdf5.hpp"

namespace ehsim::output {

namespace {

std::string kind_of(const std::filesystem::file_status& status) {
  switch (status.type()) {
    case std::filesystem::file_type::directory:
      return "a folder";
    case std::filesystem::file_type::character:
    case std::filesystem::file_type::block:
      return "a device";
    case std::filesystem::file_type::fifo:
      return "a pipe";
    case std::filesystem::file_type::socket:
      return "a socket";
    default:
      return "not a regular file";
  }
}

void sync_folder(const std::filesystem::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) throw OutputError("cannot sync folder " + folder.string() + ": " + std::strerror(errno));
  const int status = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  // Some file systems cannot sync a folder (EINVAL); the rename still stands.
  if (status != 0 && error != EINVAL)
    throw OutputError("cannot sync folder " + folder.string() + ": " + std::strerror(error));
}

}  // namespace

bool is_ehsim_file(const std::filesystem::path& path) {
  {
    // A text file ehsim wrote (calibrate's overlays) begins with its marker.
    std::ifstream stream(path, std::ios::binary);
    std::string first(text_marker.size(), '\0');
    if (stream.read(first.data(), static_cast<std::streamsize>(first.size())) && first == text_marker) return true;
  }
  silence_hdf5_errors();
  if (H5Fis_hdf5(path.c_str()) <= 0) return false;
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) return false;
  bool ehsim = false;
  if (H5Aexists(file, "format") > 0) {
    const hid_t attribute = H5Aopen(file, "format", H5P_DEFAULT);
    const hid_t type = attribute >= 0 ? H5Aget_type(attribute) : -1;
    if (type >= 0 && H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) > 0) {
      char* text = nullptr;
      const hid_t memory = H5Tcopy(H5T_C_S1);
      H5Tset_size(memory, H5T_VARIABLE);
      H5Tset_cset(memory, H5Tget_cset(type));
      if (H5Aread(attribute, memory, &text) >= 0 && text != nullptr) {
        ehsim = std::string(text).rfind("ehsim ", 0) == 0;
        H5free_memory(text);
      }
      H5Tclose(memory);
    }
    if (type >= 0) H5Tclose(type);
    if (attribute >= 0) H5Aclose(attribute);
  }
  H5Fclose(file);
  return ehsim;
}

std::filesystem::path temporary_name(const std::filesystem::path& path) {
  return path.parent_path() / ("." + path.filename().string() + ".partial-" + std::to_string(getpid()));
}

void check_writable(const std::filesystem::path& path) {
  const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  if (std::filesystem::exists(folder, ec) && !std::filesystem::is_directory(folder, ec))
    throw OutputError(path.string() + ": cannot write: " + folder.string() + " is not a folder");
  if (!std::filesystem::is_directory(folder, ec))
    throw OutputError(path.string() + ": cannot write: folder " + folder.string() + " does not exist");
  // Create and remove the temporary file the results will be written to: this
  // finds every reason it cannot be (permissions, a name too long, a
  // read-only file system) before any simulating.
  const auto temporary = temporary_name(path);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0 && errno == EEXIST)
    throw OutputError(path.string() + ": cannot write: " + temporary.string() +
                      " already stands where the file would be written first; if no ehsim is writing there, "
                      "remove it");
  if (fd < 0) throw OutputError(path.string() + ": cannot write: " + std::strerror(errno));
  ::close(fd);
  std::filesystem::remove(temporary, ec);
}

std::filesystem::path resolve_output(const OutputRequest& request) {
  const std::string given = request.option + " " + request.path.string();
  if (request.path.filename().empty() || request.path.filename() == "." || request.path.filename() == "..")
    throw OutputError(given + ": an output file name is needed");
  std::error_code ec;
  std::filesystem::path target = request.path;
  // A link is followed deliberately: the file it points to is replaced, the link kept.
  if (std::filesystem::is_symlink(std::filesystem::symlink_status(target, ec))) {
    target = std::filesystem::canonical(request.path, ec);
    if (ec == std::errc::too_many_symbolic_link_levels)
      throw OutputError(given + ": a link in a loop of links; give the file's own path");
    if (ec)
      throw OutputError(given + ": a link to " + std::filesystem::read_symlink(request.path, ec).string() +
                        ", which does not exist; give the file's own path");
  }
  const auto status = std::filesystem::status(target, ec);
  if (std::filesystem::exists(status)) {
    if (!std::filesystem::is_regular_file(status))
      throw OutputError(given + ": it is " + kind_of(status) + "; ehsim writes results only to a file");
    for (const auto& input : request.inputs)
      if (std::filesystem::equivalent(target, input, ec))
        throw OutputError(given + ": it is an input of this command (" + input.string() +
                          "); write the results to another file");
    if (!request.force) {
      struct stat info {};
      if (::stat(target.c_str(), &info) == 0 && (info.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0)
        throw OutputError(given + ": the file is read-only; give another path, or --force to replace it");
      if (!is_ehsim_file(target))
        throw OutputError(given +
                          ": the file exists and is not one ehsim wrote; give another path, or --force "
                          "to replace it");
    }
  }
  check_writable(target);
  return target;
}

void write_text_file(const std::filesystem::path& path, const std::string& text) {
  check_writable(path);
  const std::filesystem::path temporary = temporary_name(path);
  write_bytes(temporary, std::vector<unsigned char>(text.begin(), text.end()));
  try {
    commit_file(temporary, path);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);  // written just above: ehsim's own
    throw;
  }
}

void commit_file(const std::filesystem::path& temporary, const std::filesystem::path& final_path) {
  std::filesystem::rename(temporary, final_path);
  // The file is complete under its name from here on: a folder that cannot be
  // synced leaves the rename to the file system's own schedule, not a failure.
  try {
    sync_folder(final_path.has_parent_path() ? final_path.parent_path() : std::filesystem::path("."));
  } catch (const OutputError&) {
  }
}

}  // namespace ehsim::output

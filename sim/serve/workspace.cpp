#include "serve/workspace.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

namespace ehsim::serve {

namespace fs = std::filesystem;

Workspace::Workspace(fs::path root) : root_(std::move(root)) {
  std::error_code error;
  fs::create_directories(root_, error);
  if (!fs::is_directory(root_))
    throw WorkspaceError(500, "the workspace " + root_.string() + " is not a folder that can be used");
  root_ = fs::canonical(root_);
}

void Workspace::check_name(const std::string& name) {
  const bool shaped = !name.empty() && name.size() <= 64 && std::isalpha(static_cast<unsigned char>(name.front())) &&
                      std::all_of(name.begin(), name.end(), [](char c) {
                        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
                      });
  if (!shaped)
    throw WorkspaceError(
        400, "'" + name + "' is not an option's name: 1 to 64 letters, digits, '_' or '-', starting with a letter");
}

fs::path Workspace::path_of(const std::string& name) const {
  check_name(name);
  return root_ / (name + ".toml");
}

std::vector<std::string> Workspace::names() const {
  std::vector<std::string> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(root_, error)) {
    if (!entry.is_regular_file() || entry.is_symlink() || entry.path().extension() != ".toml") continue;
    const std::string name = entry.path().stem().string();
    try {
      check_name(name);
      found.push_back(name);
    } catch (const WorkspaceError&) {
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::string Workspace::read(const std::string& name) const {
  const fs::path path = path_of(name);
  if (fs::is_symlink(path) || !fs::is_regular_file(path))
    throw WorkspaceError(404, "there is no option '" + name + "' in the workspace");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) throw WorkspaceError(500, "cannot read " + path.string());
  return text.str();
}

void Workspace::save(const std::string& name, const std::string& text, bool replace) const {
  const fs::path path = path_of(name);
  std::error_code error;
  const auto status = fs::symlink_status(path, error);
  if (fs::exists(status)) {
    if (!fs::is_regular_file(status))
      throw WorkspaceError(409, "'" + name + ".toml' in the workspace is not a plain file: it is left as it is");
    if (!replace) throw WorkspaceError(409, "an option '" + name + "' is already saved; say replace to save over it");
    if (read(name).rfind(saved_mark, 0) != 0)
      throw WorkspaceError(409, "'" + name + ".toml' was not saved by ehsim serve, so it is not replaced");
  }
  const std::string body = text.rfind(saved_mark, 0) == 0 ? text : std::string(saved_mark) + "\n" + text;
  // Whole under a temporary name of our own, then renamed over the final one.
  std::random_device seed;
  const fs::path temporary = root_ / ("." + name + ".toml.saving-" + std::to_string(seed()));
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw WorkspaceError(500, "cannot write in the workspace: " + std::string(std::strerror(errno)));
  std::size_t written = 0;
  bool ok = true;
  while (ok && written < body.size()) {
    const ssize_t n = ::write(fd, body.data() + written, body.size() - written);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) written += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (ok) ok = ::rename(temporary.c_str(), path.c_str()) == 0;
  if (!ok) {
    const std::string reason = std::strerror(errno);
    fs::remove(temporary, error);  // ours
    throw WorkspaceError(500, "cannot save '" + name + "': " + reason);
  }
}

}  // namespace ehsim::serve

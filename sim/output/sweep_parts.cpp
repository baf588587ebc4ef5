#include "output/sweep_parts.hpp"

#include <charconv>
#include <cstring>
#include <fstream>
#include <optional>
#include <system_error>

#include <unistd.h>
#include <boost/crc.hpp>

#include "output/hdf5.hpp"

namespace ehsim::output {

namespace {

constexpr char part_magic[8] = {'E', 'H', 'S', 'W', 'P', 'R', 'T', '2'};
constexpr std::size_t header_bytes = sizeof part_magic + 4 * sizeof(std::uint64_t);
constexpr const char* created_line = "created by ehsim";  // the marker's second line: the folder is ehsim's
constexpr const char* adopted_line = "adopted by ehsim";  // an empty folder the user gave: kept

template <class T>
void put(std::vector<unsigned char>& bytes, T value) {
  unsigned char raw[sizeof(T)];
  std::memcpy(raw, &value, sizeof(T));
  for (const unsigned char byte : raw) bytes.push_back(byte);
}

template <class T>
T get(const std::vector<char>& bytes, std::size_t at) {
  T value;
  std::memcpy(&value, bytes.data() + at, sizeof(T));
  return value;
}

std::uint32_t checksum(const void* data, std::size_t size) {
  boost::crc_32_type crc;
  crc.process_bytes(data, size);
  return crc.checksum();
}

std::string part_name(std::uint64_t point, std::uint64_t replicate) {
  return "run_" + std::to_string(point) + "_" + std::to_string(replicate) + ".part";
}

// The point and replicate a part's file name gives (run_<p>_<r>.part), if it is one.
std::optional<std::pair<std::uint64_t, std::uint64_t>> parse_part_name(const std::string& name) {
  const std::string prefix = "run_", suffix = ".part";
  if (name.size() <= prefix.size() + suffix.size() || name.rfind(prefix, 0) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
    return std::nullopt;
  const char* at = name.data() + prefix.size();
  const char* end = name.data() + name.size() - suffix.size();
  std::uint64_t point = 0, replicate = 0;
  auto [after_point, point_error] = std::from_chars(at, end, point);
  if (point_error != std::errc() || after_point == end || *after_point != '_') return std::nullopt;
  auto [after_replicate, replicate_error] = std::from_chars(after_point + 1, end, replicate);
  if (replicate_error != std::errc() || after_replicate != end) return std::nullopt;
  return std::pair{point, replicate};
}

bool is_own_file(const std::string& name) {
  const auto ends_with = [&name](const std::string& suffix) {
    return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (parse_part_name(name)) return true;
  if (ends_with(".damaged") && parse_part_name(name.substr(0, name.size() - 8))) return true;
  if (name.rfind(std::string(parts_marker) + ".tmp-", 0) == 0) return true;
  return name.rfind(".run_", 0) == 0 && name.find(".part.tmp-") != std::string::npos;
}

std::string read_marker(const std::filesystem::path& folder) {
  std::ifstream stream(folder / parts_marker);
  std::string first, second;
  std::getline(stream, first);
  std::getline(stream, second);
  return first == "ehsim sweep parts" ? second : std::string();
}

void write_marker(const std::filesystem::path& folder, const char* line) {
  const std::string text = std::string("ehsim sweep parts\n") + line +
                           "\nThis folder holds the runs of a sweep in progress; ehsim removes them when the sweep "
                           "is assembled.\n";
  const auto temporary = folder / (std::string(parts_marker) + ".tmp-" + std::to_string(getpid()));
  write_bytes(temporary, {text.begin(), text.end()});
  std::filesystem::rename(temporary, folder / parts_marker);
}

}  // namespace

void claim_parts_folder(const std::filesystem::path& folder) {
  const std::string given = "--parts " + folder.string();
  std::error_code ec;
  const auto status = std::filesystem::status(folder, ec);
  if (!std::filesystem::exists(status)) {
    if (!std::filesystem::create_directories(folder, ec) && ec)
      throw OutputError(given + ": cannot create the folder: " + ec.message());
    write_marker(folder, created_line);
    return;
  }
  if (!std::filesystem::is_directory(status))
    throw OutputError(given + ": it is not a folder; give a new or empty folder for the sweep's parts");
  if (!read_marker(folder).empty()) return;  // a parts folder already: resume from it
  std::vector<std::string> held;             // a name or two, for the message
  for (std::filesystem::directory_iterator entry(folder, ec), end; !ec && entry != end && held.size() < 2;
       entry.increment(ec))
    held.push_back(entry->path().filename().string());
  if (ec) throw OutputError(given + ": cannot read the folder: " + ec.message());
  if (!held.empty())
    throw OutputError(given + ": the folder holds files ehsim did not make (" + held.front() +
                      (held.size() > 1 ? ", ..." : "") + "); give a new or empty folder for the sweep's parts");
  write_marker(folder, adopted_line);
}

void write_part(const std::filesystem::path& folder, std::uint64_t fingerprint, const SweepRun& run) {
  std::vector<unsigned char> bytes;
  for (const char c : part_magic) bytes.push_back(static_cast<unsigned char>(c));
  put(bytes, fingerprint);
  put(bytes, run.point);
  put(bytes, run.replicate);
  put(bytes, static_cast<std::uint64_t>(run.measures.size()));
  for (const double value : run.measures) put(bytes, value);
  put(bytes, checksum(bytes.data(), bytes.size()));
  const auto final_path = folder / part_name(run.point, run.replicate);
  const auto temporary = folder / ("." + part_name(run.point, run.replicate) + ".tmp-" + std::to_string(getpid()));
  write_bytes(temporary, bytes);
  std::filesystem::rename(temporary, final_path);  // atomic: a part is whole or absent
}

PartsFound read_parts(const std::filesystem::path& folder, std::uint64_t fingerprint, std::uint64_t points,
                      std::uint64_t replicates, std::uint64_t measures, bool set_aside) {
  PartsFound found;
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) return found;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const auto name = entry.path().filename().string();
    const auto run_of_name = parse_part_name(name);
    if (!run_of_name || !entry.is_regular_file(ec)) continue;  // not a part: someone else's, left alone
    std::ifstream stream(entry.path(), std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
    const std::size_t expected_size = header_bytes + measures * sizeof(double) + sizeof(std::uint32_t);
    std::string problem;
    if (bytes.size() != expected_size || std::memcmp(bytes.data(), part_magic, sizeof part_magic) != 0)
      problem = bytes.size() < expected_size ? "truncated" : "not a part of this version of ehsim";
    else if (checksum(bytes.data(), bytes.size() - sizeof(std::uint32_t)) !=
             get<std::uint32_t>(bytes, bytes.size() - sizeof(std::uint32_t)))
      problem = "its checksum does not match its data";
    SweepRun run;
    if (problem.empty()) {
      run.point = get<std::uint64_t>(bytes, sizeof part_magic + 8);
      run.replicate = get<std::uint64_t>(bytes, sizeof part_magic + 16);
      if (get<std::uint64_t>(bytes, sizeof part_magic + 24) != measures ||
          std::pair{run.point, run.replicate} != *run_of_name || run.point >= points || run.replicate >= replicates)
        problem = "it names a run outside the sweep's design";
    }
    if (!problem.empty()) {
      std::string note = entry.path().string() + ": damaged (" + problem + ")";
      if (set_aside) {
        std::filesystem::rename(entry.path(), entry.path().string() + ".damaged", ec);
        note += ec ? "; could not set it aside: " + ec.message() : "; set aside as " + name + ".damaged";
      }
      found.damaged.push_back(note);
      continue;
    }
    if (get<std::uint64_t>(bytes, sizeof part_magic) != fingerprint)
      throw OutputError(entry.path().string() +
                        ": a part of a different sweep (its file, base configuration or ehsim version differ); "
                        "give another folder with --parts");
    run.measures.resize(measures);
    std::memcpy(run.measures.data(), bytes.data() + header_bytes, measures * sizeof(double));
    found.runs[run.point * replicates + run.replicate] = std::move(run);
  }
  return found;
}

std::vector<std::string> release_parts_folder(const std::filesystem::path& folder) {
  std::vector<std::string> left;
  std::error_code ec;
  const bool created = read_marker(folder) == created_line;
  std::vector<std::filesystem::path> entries;  // listed first: removing while listing is unspecified
  for (std::filesystem::directory_iterator entry(folder, ec), end; !ec && entry != end; entry.increment(ec))
    entries.push_back(entry->path());
  for (const auto& path : entries) {
    const auto name = path.filename().string();
    std::error_code removed;
    if (is_own_file(name) && std::filesystem::is_regular_file(std::filesystem::symlink_status(path, removed)) &&
        std::filesystem::remove(path, removed))
      continue;
    if (name != parts_marker) left.push_back(path.string());
  }
  std::filesystem::remove(folder / parts_marker, ec);
  if (created && left.empty()) std::filesystem::remove(folder, ec);  // only ever an empty folder
  return left;
}

}  // namespace ehsim::output

#include "output/sweep_parts.hpp"

#include <charconv>
#include <cstdio>
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

// What a damaged part of the sweep with this fingerprint is renamed with.
std::string damaged_suffix(std::uint64_t fingerprint) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fingerprint));
  return std::string(".damaged-") + hex;
}

// Whether a folder entry is a file the sweep with this fingerprint may remove:
// its parts, the parts it set aside, its temporaries.
bool is_own_file(const std::string& name, std::uint64_t fingerprint) {
  const std::string aside = damaged_suffix(fingerprint);
  if (parse_part_name(name)) return true;
  if (name.size() > aside.size() && name.compare(name.size() - aside.size(), aside.size(), aside) == 0 &&
      parse_part_name(name.substr(0, name.size() - aside.size())))
    return true;
  if (name.rfind(std::string(parts_marker) + ".tmp-", 0) == 0) return true;
  return name.rfind(".run_", 0) == 0 && name.find(".part.tmp-") != std::string::npos;
}

// A temporary of ehsim's own naming, in a folder ehsim claimed, left by a
// killed process whose id this one now has: removed (a link, if one stands
// there, is removed itself, not followed) so that the part can be written.
void remove_stale_temporary(const std::filesystem::path& temporary) {
  std::error_code ignored;
  std::filesystem::remove(temporary, ignored);
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
  remove_stale_temporary(temporary);
  write_bytes(temporary, {text.begin(), text.end()});
  std::filesystem::rename(temporary, folder / parts_marker);
}

}  // namespace

void claim_parts_folder(const std::filesystem::path& folder) {
  const std::string given = "--parts " + folder.string();
  std::error_code ec;
  // Whoever makes the folder owns it: shards started together race here, and
  // only the one whose mkdir succeeded marks it as made by ehsim.
  if (std::filesystem::create_directories(folder, ec)) {
    write_marker(folder, created_line);
    return;
  }
  const auto status = std::filesystem::status(folder, ec);
  if (!std::filesystem::exists(status)) throw OutputError(given + ": cannot create the folder: " + ec.message());
  if (!std::filesystem::is_directory(status))
    throw OutputError(given + ": it is not a folder; give a new or empty folder for the sweep's parts");
  if (!read_marker(folder).empty()) return;  // a parts folder already: resume from it
  std::vector<std::string> held;             // a name or two, for the message
  for (std::filesystem::directory_iterator entry(folder, ec), end; !ec && entry != end && held.size() < 2;
       entry.increment(ec)) {
    const auto name = entry->path().filename().string();
    // Another shard's marker on its way in is not someone else's file.
    if (name.rfind(std::string(parts_marker) + ".tmp-", 0) != 0) held.push_back(name);
  }
  if (ec) throw OutputError(given + ": cannot read the folder: " + ec.message());
  if (!held.empty())
    throw OutputError(given + ": the folder holds files ehsim did not make (" + held.front() +
                      (held.size() > 1 ? ", ..." : "") + "); give a new or empty folder for the sweep's parts");
  if (read_marker(folder).empty()) write_marker(folder, adopted_line);
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
  remove_stale_temporary(temporary);
  write_bytes(temporary, bytes);
  std::filesystem::rename(temporary, final_path);  // atomic: a part is whole or absent
}

PartsFound read_parts(const std::filesystem::path& folder, std::uint64_t fingerprint, std::uint64_t points,
                      std::uint64_t replicates, std::uint64_t measures, bool set_aside) {
  PartsFound found;
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) return found;
  // Every part is judged before any is set aside, so that a folder holding
  // another sweep's parts is refused with nothing in it touched.
  std::vector<std::pair<std::filesystem::path, std::string>> damaged;  // (part, why)
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const auto name = entry.path().filename().string();
    const auto run_of_name = parse_part_name(name);
    if (!run_of_name || !entry.is_regular_file(ec)) continue;  // not a part: someone else's, left alone
    std::ifstream stream(entry.path(), std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
    const std::size_t expected_size = header_bytes + measures * sizeof(double) + sizeof(std::uint32_t);
    if (bytes.size() < header_bytes + sizeof(std::uint32_t) ||
        std::memcmp(bytes.data(), part_magic, sizeof part_magic) != 0) {
      damaged.emplace_back(entry.path(), bytes.size() < expected_size ? "truncated" : "not a part of this ehsim");
      continue;
    }
    if (checksum(bytes.data(), bytes.size() - sizeof(std::uint32_t)) !=
        get<std::uint32_t>(bytes, bytes.size() - sizeof(std::uint32_t))) {
      damaged.emplace_back(entry.path(),
                           bytes.size() < expected_size ? "truncated" : "its checksum does not match its data");
      continue;
    }
    // Sound: whose is it?
    if (get<std::uint64_t>(bytes, sizeof part_magic) != fingerprint)
      throw OutputError(entry.path().string() +
                        ": a part of a different sweep (its file, base configuration or ehsim version differ); "
                        "give another folder with --parts");
    SweepRun run;
    run.point = get<std::uint64_t>(bytes, sizeof part_magic + 8);
    run.replicate = get<std::uint64_t>(bytes, sizeof part_magic + 16);
    if (bytes.size() != expected_size || get<std::uint64_t>(bytes, sizeof part_magic + 24) != measures ||
        std::pair{run.point, run.replicate} != *run_of_name || run.point >= points || run.replicate >= replicates) {
      damaged.emplace_back(entry.path(), "it names a run outside the sweep's design");
      continue;
    }
    run.measures.resize(measures);
    std::memcpy(run.measures.data(), bytes.data() + header_bytes, measures * sizeof(double));
    found.runs[run.point * replicates + run.replicate] = std::move(run);
  }
  for (const auto& [path, why] : damaged) {
    std::string note = path.string() + ": damaged (" + why + ")";
    if (set_aside) {
      // Named for this sweep, so that only this sweep ever removes it.
      const std::string aside = path.filename().string() + damaged_suffix(fingerprint);
      std::filesystem::rename(path, path.parent_path() / aside, ec);
      note += ec ? "; could not set it aside: " + ec.message() : "; set aside as " + aside;
    }
    found.damaged.push_back(note);
  }
  return found;
}

std::vector<std::string> release_parts_folder(const std::filesystem::path& folder, std::uint64_t fingerprint) {
  std::vector<std::string> left;
  std::error_code ec;
  const bool created = read_marker(folder) == created_line;
  std::vector<std::filesystem::path> entries;  // listed first: removing while listing is unspecified
  for (std::filesystem::directory_iterator entry(folder, ec), end; !ec && entry != end; entry.increment(ec))
    entries.push_back(entry->path());
  for (const auto& path : entries) {
    const auto name = path.filename().string();
    std::error_code removed;
    if (is_own_file(name, fingerprint) &&
        std::filesystem::is_regular_file(std::filesystem::symlink_status(path, removed)) &&
        std::filesystem::remove(path, removed))
      continue;
    if (name != parts_marker) left.push_back(path.string());
  }
  std::filesystem::remove(folder / parts_marker, ec);
  if (created && left.empty()) std::filesystem::remove(folder, ec);  // only ever an empty folder
  return left;
}

}  // namespace ehsim::output

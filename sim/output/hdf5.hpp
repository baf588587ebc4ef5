// A thin RAII layer over the HDF5 C API: handles that close themselves, and
// the few writes ehsim needs (typed n-d datasets with unit and description,
// strings, attributes, a compound event table). Every failure throws
// OutputError; nothing here prints.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <hdf5.h>

namespace ehsim::output {

class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Owns one HDF5 identifier and closes it with the matching H5?close.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer, const std::string& what);
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept;
  Handle& operator=(Handle&& other) noexcept;
  ~Handle();
  [[nodiscard]] hid_t id() const { return id_; }

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

struct DatasetInfo {
  std::string units;
  std::string description;
  std::vector<std::string> dims;  // name of each axis, e.g. {"month", "level"}
};

class File {
 public:
  // A new file, built in memory and written to `path` by close().
  explicit File(const std::filesystem::path& path);
  // Writes the file to disk (checked, and synced), throwing if anything
  // fails. Close every group and dataset first.
  void close();
  [[nodiscard]] hid_t id() const { return handle_.id(); }

 private:
  std::filesystem::path path_;
  Handle handle_;
};

Handle create_group(hid_t parent, const std::string& path);  // creates missing parents too

// The time now, UTC, as ISO 8601 ("2026-11-25T01:02:03Z"), for created_utc.
std::string utc_now();

// Writes bytes to a new file with checked POSIX calls and syncs it to disk.
// Refuses (OutputError) when anything stands at `path`; on failure removes
// the file it created, and nothing else.
void write_bytes(const std::filesystem::path& path, const std::vector<unsigned char>& bytes);

void write_int64(hid_t parent, const std::string& name, const std::vector<std::size_t>& shape,
                 const std::vector<std::int64_t>& values, const DatasetInfo& info);
void write_float64(hid_t parent, const std::string& name, const std::vector<std::size_t>& shape,
                   const std::vector<double>& values, const DatasetInfo& info);
// Chunked and compressed, for large per-family arrays.
void write_int8_chunked(hid_t parent, const std::string& name, const std::vector<std::size_t>& shape,
                        const std::vector<std::int8_t>& values, const DatasetInfo& info);
void write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values,
                   const DatasetInfo& info);
void write_text(hid_t parent, const std::string& name, const std::string& text, const DatasetInfo& info);

void set_attribute(hid_t object, const std::string& name, const std::string& value);
void set_attribute(hid_t object, const std::string& name, std::int64_t value);
void set_attribute(hid_t object, const std::string& name, const std::vector<std::string>& values);

// Makes HDF5 report errors by return code only (no printing to stderr).
void silence_hdf5_errors();

}  // namespace ehsim::output

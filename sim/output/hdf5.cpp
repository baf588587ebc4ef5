#include "output/hdf5.hpp"
#include <chrono>
#include <ctime>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace ehsim::output {

namespace {

void check(herr_t status, const std::string& what) {
  if (status < 0) throw OutputError("HDF5 could not " + what);
}

std::vector<hsize_t> dims_of(const std::vector<std::size_t>& shape) { return {shape.begin(), shape.end()}; }

std::size_t element_count(const std::vector<std::size_t>& shape) {
  std::size_t n = 1;
  for (const std::size_t d : shape) n *= d;
  return n;
}

Handle utf8_string_type() {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "make a string type");
  check(H5Tset_size(type.id(), H5T_VARIABLE), "make a string type");
  check(H5Tset_cset(type.id(), H5T_CSET_UTF8), "make a string type");
  return type;
}

// Lets a dataset name such as "monthly/flows" create its groups on the way.
Handle intermediate_groups() {
  Handle properties(H5Pcreate(H5P_LINK_CREATE), H5Pclose, "make link properties");
  check(H5Pset_create_intermediate_group(properties.id(), 1), "make link properties");
  return properties;
}

void describe(hid_t dataset, const DatasetInfo& info) {
  set_attribute(dataset, "units", info.units);
  set_attribute(dataset, "description", info.description);
  if (!info.dims.empty()) set_attribute(dataset, "dims", info.dims);
}

template <class T>
void write_array(hid_t parent, const std::string& name, hid_t type, const std::vector<std::size_t>& shape,
                 const std::vector<T>& values, const DatasetInfo& info, hid_t create_properties) {
  if (values.size() != element_count(shape)) throw OutputError("dataset " + name + " has the wrong number of values");
  const auto dims = dims_of(shape);
  Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose,
               "describe the shape of " + name);
  const Handle links = intermediate_groups();
  Handle dataset(H5Dcreate2(parent, name.c_str(), type, space.id(), links.id(), create_properties, H5P_DEFAULT),
                 H5Dclose, "create dataset " + name);
  if (!values.empty())
    check(H5Dwrite(dataset.id(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write " + name);
  describe(dataset.id(), info);
}

}  // namespace

Handle::Handle(hid_t id, Closer closer, const std::string& what) : id_(id), closer_(closer) {
  if (id < 0) throw OutputError("HDF5 could not " + what);
}

Handle::Handle(Handle&& other) noexcept : id_(other.id_), closer_(other.closer_) { other.id_ = H5I_INVALID_HID; }

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    if (id_ >= 0 && closer_) closer_(id_);
    id_ = other.id_;
    closer_ = other.closer_;
    other.id_ = H5I_INVALID_HID;
  }
  return *this;
}

Handle::~Handle() {
  if (id_ >= 0 && closer_) closer_(id_);
}

namespace {
// The file is built in memory (HDF5's core driver, no backing store) and its
// bytes written with checked POSIX calls: a full disk or an I/O error is then
// an ordinary error here, never a half-closed file inside the HDF5 library.
// Strong close: closing the file closes every object still open in it.
Handle in_memory_access() {
  Handle properties(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "make file access properties");
  check(H5Pset_fapl_core(properties.id(), std::size_t{1} << 20, 0), "make file access properties");
  check(H5Pset_fclose_degree(properties.id(), H5F_CLOSE_STRONG), "make file access properties");
  return properties;
}

}  // namespace

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

void write_bytes(const std::filesystem::path& path, const std::vector<unsigned char>& bytes) {
  // A new file, never through a link, and never over anything that stands at
  // the name: ehsim deletes only what it created.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
  if (fd < 0 && errno == EEXIST)
    throw OutputError("cannot create " + path.string() +
                      ": something already stands at that name; if no ehsim is writing there, remove it");
  if (fd < 0) throw OutputError("cannot create " + path.string() + ": " + std::strerror(errno));
  const auto fail = [&](int error) {
    ::close(fd);
    ::unlink(path.c_str());  // the file this call created, and nothing else
    throw OutputError("cannot write " + path.string() + ": " + std::strerror(error));
  };
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(n < 0 ? errno : EIO);
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) fail(errno);
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(path.c_str());
    throw OutputError("cannot write " + path.string() + ": " + std::strerror(error));
  }
}

File::File(const std::filesystem::path& path)
    : path_(path),
      handle_(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, in_memory_access().id()), H5Fclose,
              "create " + path.string()) {}

void File::close() {
  const hid_t id = handle_.id();
  if (id < 0) return;
  check(H5Fflush(id, H5F_SCOPE_GLOBAL), "finish the file");
  const ssize_t size = H5Fget_file_image(id, nullptr, 0);
  if (size < 0) throw OutputError("HDF5 could not finish the file");
  std::vector<unsigned char> bytes(static_cast<std::size_t>(size));
  if (H5Fget_file_image(id, bytes.data(), bytes.size()) != size) throw OutputError("HDF5 could not finish the file");
  handle_ = Handle();  // closes the in-memory file
  write_bytes(path_, bytes);
}

Handle create_group(hid_t parent, const std::string& path) {
  const Handle links = intermediate_groups();
  return {H5Gcreate2(parent, path.c_str(), links.id(), H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "create group " + path};
}

void write_int64(hid_t parent, const std::string& name, const std::vector<std::size_t>& shape,
                 const std::vector<std::int64_t>& values, const DatasetInfo& info) {
  write_array(parent, name, H5T_NATIVE_INT64, shape, values, info, H5P_DEFAULT);
}

void write_float64(hid_t parent, const std::string& name, const std::vector<std::size_t>& shape,
                   const std::vector<double>& values, const DatasetInfo& info) {
  write_array(parent, name, H5T_NATIVE_DOUBLE, shape, values, info, H5P_DEFAULT);
}

void write_int8_chunked(hid_t parent, const std::string& name, const std::vector<std::size_t>& shape,
                        const std::vector<std::int8_t>& values, const DatasetInfo& info) {
  Handle properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "make dataset properties");
  if (element_count(shape) > 0) {
    // Chunks of whole rows (a family's full trajectory), about 1 MiB each.
    std::vector<hsize_t> chunk = dims_of(shape);
    const hsize_t row = std::max<hsize_t>(1, chunk.back());
    chunk.front() = std::clamp<hsize_t>((hsize_t{1} << 20) / row, 1, chunk.front());
    check(H5Pset_chunk(properties.id(), static_cast<int>(chunk.size()), chunk.data()), "set chunking for " + name);
    check(H5Pset_shuffle(properties.id()), "set compression for " + name);
    check(H5Pset_deflate(properties.id(), 4), "set compression for " + name);
  }
  write_array(parent, name, H5T_NATIVE_INT8, shape, values, info, properties.id());
}

void write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values,
                   const DatasetInfo& info) {
  std::vector<const char*> pointers;
  for (const auto& value : values) pointers.push_back(value.c_str());
  const Handle type = utf8_string_type();
  write_array(parent, name, type.id(), {values.size()}, pointers, info, H5P_DEFAULT);
}

void write_text(hid_t parent, const std::string& name, const std::string& text, const DatasetInfo& info) {
  const Handle type = utf8_string_type();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "describe " + name);
  Handle dataset(H5Dcreate2(parent, name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                 H5Dclose, "create dataset " + name);
  const char* pointer = text.c_str();
  check(H5Dwrite(dataset.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &pointer), "write " + name);
  describe(dataset.id(), info);
}

void set_attribute(hid_t object, const std::string& name, const std::string& value) {
  const Handle type = utf8_string_type();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "describe attribute " + name);
  Handle attribute(H5Acreate2(object, name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                   "create attribute " + name);
  const char* pointer = value.c_str();
  check(H5Awrite(attribute.id(), type.id(), &pointer), "write attribute " + name);
}

void set_attribute(hid_t object, const std::string& name, std::int64_t value) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "describe attribute " + name);
  Handle attribute(H5Acreate2(object, name.c_str(), H5T_NATIVE_INT64, space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                   "create attribute " + name);
  check(H5Awrite(attribute.id(), H5T_NATIVE_INT64, &value), "write attribute " + name);
}

void set_attribute(hid_t object, const std::string& name, const std::vector<std::string>& values) {
  const Handle type = utf8_string_type();
  const hsize_t count = values.size();
  Handle space(H5Screate_simple(1, &count, nullptr), H5Sclose, "describe attribute " + name);
  Handle attribute(H5Acreate2(object, name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                   "create attribute " + name);
  std::vector<const char*> pointers;
  for (const auto& value : values) pointers.push_back(value.c_str());
  check(H5Awrite(attribute.id(), type.id(), pointers.data()), "write attribute " + name);
}

void silence_hdf5_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

}  // namespace ehsim::output

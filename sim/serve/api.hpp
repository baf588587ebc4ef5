// The JSON API of `ehsim serve`, apart from any socket so that it can be
// tested as a function: a request in, a response out. docs/serve.md lists
// the routes. Safe to call from several threads at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/authority.hpp"
#include "serve/runner.hpp"
#include "serve/workspace.hpp"

namespace ehsim::serve {

struct Request {
  std::string method;  // GET, PUT, POST, DELETE
  std::string target;  // path and query, e.g. /api/runs/3
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::string download;  // a file name: the body is a file to save under it
};

struct ApiOptions {
  std::filesystem::path workspace;  // where options are saved
  std::filesystem::path configs;    // authority presets (<name>.toml); empty: the embedded default only
  std::filesystem::path scenarios;  // futures offered (overlays of kind "future"); empty: none
  std::filesystem::path web;        // the built app (index.html, ...); empty: none
  std::string token;                // required on every request when not empty
  std::filesystem::path analysis;   // the source tree holding analysis/ (board reports); empty: none
  std::size_t max_body_bytes = 1 << 20;
};

class Api {
 public:
  explicit Api(ApiOptions options);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  Response handle(const Request& request);
  [[nodiscard]] const ApiOptions& options() const { return options_; }

 private:
  struct Authority {
    std::string name, description;
    std::filesystem::path path;  // empty: the embedded default
  };
  Response route(const Request& request);
  // The presets, then the workspace's own authorities (its files that are
  // whole configurations, not overlays), read afresh each time.
  [[nodiscard]] std::vector<Authority> all_authorities() const;
  [[nodiscard]] Authority find_authority(const std::string& name) const;  // std::invalid_argument if none
  Response authorities() const;
  Response authority_detail(const std::string& name) const;
  Response schema() const;
  Response options_list() const;
  Response option_read(const std::string& name) const;
  Response option_save(const std::string& name, const std::string& body);
  Response check(const std::string& body) const;
  Response run_submit(const std::string& body);
  Response run_status(const std::string& id) const;
  Response run_cancel(const std::string& id);
  Response run_file(const std::string& id, const std::string& file);
  Response static_file(const std::string& path) const;
  // The base and the option a request names, loaded as `ehsim run --scenario`
  // loads them; throws ConfigError (file named as the option's name).
  struct Loaded {
    config::Authority base, option;
    std::vector<RunRequest::Future> futures;
  };
  // `futures`: names of the futures the option also runs under.
  Loaded load(const std::string& authority, const std::string& name, const std::string& toml, std::int64_t replicates,
              std::int64_t months, const std::vector<std::string>& futures = {}) const;
  Response futures() const;

  ApiOptions options_;
  Workspace workspace_;
  std::vector<Authority> authorities_;
  struct Future {
    std::string name, description, toml;
    std::filesystem::path path;
  };
  std::vector<Future> futures_;    // kind = "future" overlays in options.scenarios
  std::filesystem::path scratch_;  // a folder of ehsim's own, for overlays being checked
  std::unique_ptr<Runner> runner_;
  std::mutex reports_;
};

}  // namespace ehsim::serve

#include "serve/api.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <random>
#include <sstream>
#include <string_view>

#include <nlohmann/json.hpp>

#include "config/diagnostics.hpp"
#include "config/diff.hpp"
#include "config/load.hpp"
#include "config/schema.hpp"
#include "version.hpp"

namespace ehsim::serve {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The file a server puts in its scratch folder, by which a later one knows
// a folder left behind as its own.
constexpr const char* scratch_mark = ".ehsim-serve";
constexpr std::string_view scratch_mark_text = "made by ehsim serve";

Response json_response(int status, const json& body) { return {status, "application/json", body.dump()}; }

Response error(int status, const std::string& message) { return json_response(status, {{"error", message}}); }

// The loader speaks of the command line's --months and --replicates; here
// they are the request's "months" and "replicates".
std::string as_request(std::string message) {
  for (const auto& [cli, field] : {std::pair{std::string("the command line's "), std::string("the request's ")},
                                   std::pair{std::string("--months"), std::string("\"months\"")},
                                   std::pair{std::string("--replicates"), std::string("\"replicates\"")}})
    for (std::size_t at = message.find(cli); at != std::string::npos; at = message.find(cli, at + field.size()))
      message.replace(at, cli.size(), field);
  return message;
}

// Configuration problems as the form shows them beside each field: files by
// their names (a preset's or a future's), never the server's paths.
Response config_errors(const config::ConfigError& failure) {
  json errors = json::array();
  for (const auto& issue : failure.issues()) {
    const std::string file = fs::path(issue.where.file).filename().string();
    errors.push_back(
        {{"file", file}, {"line", issue.where.line}, {"key", issue.key}, {"message", as_request(issue.message)}});
  }
  return json_response(422, {{"error", "the option does not validate"}, {"errors", errors}});
}

std::vector<std::string> split_path(const std::string& target) {
  const std::string path = target.substr(0, target.find('?'));
  std::vector<std::string> parts;
  std::stringstream in(path);
  for (std::string part; std::getline(in, part, '/');)
    if (!part.empty()) parts.push_back(part);
  return parts;
}

std::string random_suffix() {
  static std::atomic<std::uint64_t> counter{0};
  std::random_device seed;
  return std::to_string(::getpid()) + "-" + std::to_string(seed()) + "-" + std::to_string(counter++);
}

// A folder made now under `parent`, never one that was there: the only
// folders ehsim serve removes are those it made.
fs::path fresh_folder(const fs::path& parent, const std::string& prefix) {
  for (int attempt = 0; attempt < 100; ++attempt)
    if (fs::path folder = parent / (prefix + random_suffix()); fs::create_directory(folder)) return folder;
  throw std::runtime_error("cannot make a folder of its own in " + parent.string());
}

// Whether a folder carries the mark a server leaves in its own.
bool marked_by_a_server(const fs::path& folder) {
  const fs::path mark = folder / scratch_mark;
  if (!fs::is_regular_file(fs::symlink_status(mark))) return false;
  std::ifstream in(mark);
  std::string first;
  std::getline(in, first);
  return first.rfind(scratch_mark_text, 0) == 0;
}

json parse_body(const std::string& body) {
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) throw std::invalid_argument("the body is not a JSON object");
  return parsed;
}

std::string text_field(const json& body, const char* field, bool required = true) {
  if (!body.contains(field)) {
    if (required) throw std::invalid_argument(std::string("the body has no \"") + field + "\"");
    return {};
  }
  if (!body[field].is_string()) throw std::invalid_argument(std::string("\"") + field + "\" is not text");
  return body[field].get<std::string>();
}

std::int64_t count_field(const json& body, const char* field) {
  if (!body.contains(field) || body[field].is_null()) return 0;
  if (!body[field].is_number_integer() || body[field].get<std::int64_t>() < 1)
    throw std::invalid_argument(std::string("\"") + field + "\" is not a whole number above 0");
  return body[field].get<std::int64_t>();
}

}  // namespace

Api::Api(ApiOptions options) : options_(std::move(options)), workspace_(options_.workspace) {
  authorities_.push_back({"default", config::default_authority().description, {}});
  std::error_code ignored;
  if (!options_.configs.empty() && fs::is_directory(options_.configs)) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(options_.configs, ignored))
      if (entry.is_regular_file() && entry.path().extension() == ".toml" &&
          entry.path().stem().string().find('.') == std::string::npos && entry.path().stem() != "default")
        files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      try {  // a preset is a whole authority; fit and targets files are not
        const auto authority = config::load_authority_file(file);
        authorities_.push_back({file.stem().string(), authority.description, fs::canonical(file)});
      } catch (const std::exception&) {
      }
    }
  }
  // The futures a strategist can run an option under: overlays of kind "future".
  if (!options_.scenarios.empty() && fs::is_directory(options_.scenarios)) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(options_.scenarios, ignored))
      if (entry.is_regular_file() && entry.path().extension() == ".toml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      try {
        const auto future = config::load_scenario({}, file);
        if (future.kind != config::ScenarioKind::future) continue;
        std::ifstream in(file, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        futures_.push_back({file.stem().string(), future.description, text.str(), fs::canonical(file)});
      } catch (const std::exception&) {
      }
    }
  }
  // Folders left by servers that were killed: named by their process id, and
  // only those that carry the mark a server leaves in its own, so no folder
  // of anyone else's that happens to share the name is touched.
  for (const auto& entry : fs::directory_iterator(fs::temp_directory_path(), ignored)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("ehsim-serve-", 0) != 0 || !entry.is_directory() || entry.is_symlink()) continue;
    if (!marked_by_a_server(entry.path())) continue;
    const std::string pid = name.substr(12, name.find('-', 12) - 12);
    if (pid.empty() || pid.size() > 9 || !std::all_of(pid.begin(), pid.end(), ::isdigit)) continue;
    if (::kill(static_cast<pid_t>(std::stol(pid)), 0) != 0 && errno == ESRCH) fs::remove_all(entry.path(), ignored);
  }
  scratch_ = fresh_folder(fs::temp_directory_path(), "ehsim-serve-");
  std::ofstream(scratch_ / scratch_mark) << scratch_mark_text << " (pid " << ::getpid() << "); removed when it stops\n";
  fs::create_directory(scratch_ / "runs");
  runner_ = std::make_unique<Runner>(scratch_ / "runs");
}

Api::~Api() {
  runner_.reset();
  std::error_code ignored;
  fs::remove_all(scratch_, ignored);  // ehsim's own folder
}

Response Api::handle(const Request& request) {
  // The page itself is served to anyone who can reach it; what it does, the
  // API, needs the token (the page reads it from its address, #token=...).
  const bool to_api = request.target.rfind("/api/", 0) == 0 || request.target == "/api";
  if (!options_.token.empty() && to_api) {
    const auto found = request.headers.find("authorization");
    const std::string expected = "Bearer " + options_.token;
    const std::string given = found == request.headers.end() ? std::string() : found->second;
    unsigned char differs = given.size() != expected.size() ? 1 : 0;  // compared in constant time
    for (std::size_t i = 0; i < expected.size(); ++i)
      differs |= static_cast<unsigned char>(expected[i] ^ (i < given.size() ? given[i] : 0));
    if (differs != 0)
      return error(401, "this server needs the token it printed when it started (Authorization: Bearer TOKEN)");
  }
  // A page of another site may post a form here, but only as text, never as
  // JSON without asking first: a body that changes anything must say it is JSON.
  if ((request.method == "POST" || request.method == "PUT") && to_api) {
    const auto type = request.headers.find("content-type");
    if (type == request.headers.end() || type->second.rfind("application/json", 0) != 0)
      return error(415, "a request with a body must be Content-Type: application/json");
  }
  if (request.body.size() > options_.max_body_bytes)
    return error(413, "the request is larger than " + std::to_string(options_.max_body_bytes) + " bytes");
  try {
    return route(request);
  } catch (const WorkspaceError& failure) {
    return error(failure.status(), failure.what());
  } catch (const std::invalid_argument& failure) {
    return error(400, failure.what());
  } catch (const std::exception& failure) {
    return error(500, failure.what());
  }
}

Response Api::route(const Request& request) {
  const auto parts = split_path(request.target);
  const std::string& method = request.method;
  if (parts.empty() || parts[0] != "api") {
    if (method != "GET") return error(405, "only GET is served outside /api");
    return static_file(request.target.substr(0, request.target.find('?')));
  }
  const auto is = [&](const char* want_method, std::size_t size) {
    return method == want_method && parts.size() == size;
  };
  if (is("GET", 2) && parts[1] == "health")
    return json_response(200,
                         {{"ok", true}, {"version", std::string(version())}, {"runs_kept", runner_->cached_runs()}});
  if (is("GET", 2) && parts[1] == "authorities") return authorities();
  if (is("GET", 3) && parts[1] == "authorities") return authority_detail(parts[2]);
  if (is("GET", 2) && parts[1] == "schema") return schema();
  if (is("GET", 2) && parts[1] == "futures") return futures();
  if (is("GET", 2) && parts[1] == "options") return options_list();
  if (is("GET", 3) && parts[1] == "options") return option_read(parts[2]);
  if (is("PUT", 3) && parts[1] == "options") return option_save(parts[2], request.body);
  if (is("POST", 2) && parts[1] == "check") return check(request.body);
  if (is("POST", 2) && parts[1] == "runs") return run_submit(request.body);
  if (is("GET", 2) && parts[1] == "runs") {
    json runs = json::array();
    for (const auto& status : runner_->all())
      runs.push_back({{"id", status.id},
                      {"authority", status.authority},
                      {"option", status.option},
                      {"state", name_of(status.state)},
                      {"done", status.done},
                      {"total", status.total}});
    return json_response(200, {{"runs", runs}});
  }
  if (is("GET", 3) && parts[1] == "runs") return run_status(parts[2]);
  if (is("DELETE", 3) && parts[1] == "runs") return run_cancel(parts[2]);
  if (is("GET", 4) && parts[1] == "runs") return run_file(parts[2], parts[3]);
  return error(404, "no such route: " + method + " " + request.target);
}

std::vector<Api::Authority> Api::all_authorities() const {
  std::vector<Authority> all = authorities_;
  for (const auto& name : workspace_.names()) {
    if (std::any_of(all.begin(), all.end(), [&](const Authority& a) { return a.name == name; })) continue;
    try {  // an option overlay is not an authority: it lacks the keys one needs
      const auto authority = config::load_authority_file(workspace_.path_of(name));
      all.push_back({name, authority.description, workspace_.path_of(name)});
    } catch (const std::exception&) {
    }
  }
  return all;
}

Api::Authority Api::find_authority(const std::string& name) const {
  for (const auto& authority : authorities_)
    if (authority.name == name) return authority;
  Workspace::check_name(name);
  for (const auto& authority : all_authorities())
    if (authority.name == name) return authority;
  throw std::invalid_argument("there is no authority '" + name + "'");
}

Response Api::authorities() const {
  json list = json::array();
  for (const auto& authority : all_authorities()) {
    const bool own = !authority.path.empty() && authority.path.parent_path() == workspace_.root();
    list.push_back(
        {{"name", authority.name}, {"description", authority.description}, {"source", own ? "workspace" : "preset"}});
  }
  return json_response(200, {{"authorities", list}});
}

// What the option form starts from: the authority's horizon, levels,
// payers and each service with the values of the keys an option changes most.
Response Api::authority_detail(const std::string& name) const {
  const auto all = all_authorities();
  const auto found = std::find_if(all.begin(), all.end(), [&](const Authority& a) { return a.name == name; });
  if (found == all.end()) return error(404, "there is no authority '" + name + "'");
  const config::Authority authority =
      found->path.empty() ? config::default_authority() : config::load_authority_file(found->path);
  // The app shows this authority: run its baseline while the user builds an option.
  runner_->warm(authority);
  json levels = json::array(), services = json::array();
  for (const auto& level : authority.levels) levels.push_back({{"name", level.name}, {"label", level.label}});
  for (const auto& service : authority.services) {
    json capacity_from = json::object();
    for (const auto& [month, cases] : service.capacity_from_month) capacity_from[month] = cases;
    services.push_back({{"name", service.name},
                        {"label", service.label.empty() ? service.name : service.label},
                        {"kind", std::string(config::name_of(service.kind))},
                        {"statutory", service.statutory()},
                        {"levels", service.levels},
                        {"payer", service.payer},
                        {"cashable", service.cashable},
                        {"contract", std::string(config::name_of(service.contract))},
                        {"capacity_cases", service.capacity_cases},
                        {"capacity_from_month", capacity_from},
                        {"cost_per_case_month_gbp", service.cost_per_case_month_gbp},
                        {"duration_mean_months", service.duration_mean_months},
                        {"consent_probability", service.consent_probability},
                        {"escalation_hazard_ratio", service.escalation_hazard_ratio},
                        {"de_escalation_hazard_ratio", service.de_escalation_hazard_ratio}});
  }
  const auto& simulation = authority.simulation;
  return json_response(200, {{"name", name},
                             {"description", authority.description},
                             {"start_month", simulation.start_month},
                             {"months", simulation.months},
                             {"replicates", simulation.replicates},
                             {"families", authority.population.families},
                             {"price_year", authority.costs.price_year},
                             {"payers", authority.costs.payers},
                             {"levels", levels},
                             {"services", services},
                             {"reinvestment",
                              {{"share", authority.reinvestment.share},
                               {"from_services", authority.reinvestment.from_services},
                               {"to_service", authority.reinvestment.to_service},
                               {"lag_months", authority.reinvestment.lag_months}}}});
}

Response Api::futures() const {
  json list = json::array();
  for (const auto& future : futures_) list.push_back({{"name", future.name}, {"description", future.description}});
  return json_response(200, {{"futures", list}});
}

Response Api::schema() const {
  json keys = json::array();
  for (const auto& doc : config::configuration_reference()) {
    json key = {{"key", doc.key},         {"type", doc.type},
                {"unit", doc.unit},       {"default", doc.default_value},
                {"allowed", doc.allowed}, {"description", doc.description}};
    if (std::isfinite(doc.bounds.min)) key["min"] = doc.bounds.min;
    if (std::isfinite(doc.bounds.max)) key["max"] = doc.bounds.max;
    if (!doc.choices.empty()) {
      json choices = json::array();
      for (const auto& [word, meaning] : doc.choices) choices.push_back({{"word", word}, {"meaning", meaning}});
      key["choices"] = choices;
    }
    keys.push_back(key);
  }
  return json_response(200, {{"keys", keys}});
}

Response Api::options_list() const {
  json list = json::array();
  for (const auto& name : workspace_.names()) list.push_back(name);
  return json_response(200, {{"options", list}});
}

Response Api::option_read(const std::string& name) const {
  return json_response(200, {{"name", name}, {"toml", workspace_.read(name)}});
}

Api::Loaded Api::load(const std::string& authority, const std::string& name, const std::string& toml,
                      std::int64_t replicates, std::int64_t months, const std::vector<std::string>& futures) const {
  Workspace::check_name(name);
  const Authority chosen = find_authority(authority);
  const auto found = &chosen;
  config::Overrides overrides;
  if (replicates > 0) overrides.replicates = replicates;
  if (months > 0) overrides.months = months;
  // The overlay as a file of its own, in a folder of ehsim's own, loaded as
  // `ehsim run --scenario` loads it.
  const fs::path folder = fresh_folder(scratch_, "");
  const fs::path file = folder / (name + ".toml");
  struct Cleanup {
    fs::path folder;
    ~Cleanup() {
      std::error_code ignored;
      fs::remove_all(folder, ignored);
    }
  } cleanup{folder};
  {
    std::ofstream out(file, std::ios::binary);
    out << toml;
    if (!out) throw std::runtime_error("cannot write the option to check it");
  }
  try {
    config::Authority base = found->path.empty() ? config::default_authority(overrides)
                                                 : config::load_authority_file(found->path, overrides);
    config::Authority option = config::load_scenario(found->path, file, true, overrides);
    Loaded loaded{std::move(base), std::move(option), {}};
    for (const auto& wanted : futures) {
      const auto future =
          std::find_if(futures_.begin(), futures_.end(), [&](const Future& f) { return f.name == wanted; });
      if (future == futures_.end()) throw std::invalid_argument("there is no future '" + wanted + "'");
      loaded.futures.push_back({future->name, future->toml,
                                config::load_scenario(found->path, future->path, true, overrides),
                                config::load_scenario_under(found->path, future->path, file, overrides)});
    }
    return loaded;
  } catch (const config::ConfigError& failure) {
    // Rethrown with the option named as the user knows it.
    std::vector<config::ConfigIssue> issues = failure.issues();
    for (auto& issue : issues)
      if (issue.where.file == file.string()) issue.where.file = name + ".toml";
    throw config::ConfigError(issues);
  }
}

Response Api::check(const std::string& body) const {
  const json request = parse_body(body);
  const std::string name = text_field(request, "name");
  try {
    const auto loaded = load(text_field(request, "authority"), name, text_field(request, "toml"), 0, 0);
    const auto& base = loaded.base;
    const auto& option = loaded.option;
    json changes = json::array();
    for (const auto& difference : config::differences(base, option))
      changes.push_back({{"key", difference.key}, {"base", difference.base}, {"option", difference.option}});
    return json_response(200, {{"ok", true},
                               {"kind", option.kind == config::ScenarioKind::future ? "future" : "option"},
                               {"description", option.description},
                               {"differences", changes}});
  } catch (const config::ConfigError& failure) {
    return config_errors(failure);
  }
}

Response Api::option_save(const std::string& name, const std::string& body) {
  const json request = parse_body(body);
  const std::string toml = text_field(request, "toml");
  const std::string authority = request.contains("authority") ? text_field(request, "authority") : "default";
  try {
    (void)load(authority, name, toml, 0, 0);  // only a valid option is saved
  } catch (const config::ConfigError& failure) {
    return config_errors(failure);
  }
  const bool replace = request.contains("replace") && request["replace"].is_boolean() && request["replace"].get<bool>();
  workspace_.save(name, toml, replace);
  return json_response(200, {{"saved", name}});
}

Response Api::run_submit(const std::string& body) {
  const json request = parse_body(body);
  const std::string name = text_field(request, "name");
  const std::string authority = text_field(request, "authority");
  try {
    std::vector<std::string> futures;
    if (request.contains("futures")) {
      if (!request["futures"].is_array()) throw std::invalid_argument("\"futures\" is not a list of names");
      for (const auto& future : request["futures"]) {
        if (!future.is_string()) throw std::invalid_argument("\"futures\" is not a list of names");
        futures.push_back(future.get<std::string>());
      }
    }
    auto loaded = load(authority, name, text_field(request, "toml"), count_field(request, "replicates"),
                       count_field(request, "months"), futures);
    auto& base = loaded.base;
    auto& option = loaded.option;
    if (option.kind == config::ScenarioKind::future)
      return error(422, "'" + name + "' is a future (a change in demand), not an option to compare");
    const Authority chosen = find_authority(authority);
    const auto found = &chosen;
    RunRequest run{authority,
                   name,
                   text_field(request, "toml"),
                   found->path.string(),
                   std::move(base),
                   std::move(option),
                   std::move(loaded.futures)};
    if (request.contains("against")) {
      // Another option, set against this one: loaded and checked as the option is.
      const json& against = request["against"];
      if (!against.is_object()) throw std::invalid_argument("\"against\" is not an option {name, toml}");
      run.against = text_field(against, "name");
      run.against_toml = text_field(against, "toml");
      if (run.against == name) return error(422, "an option cannot be set against itself ('" + name + "')");
      try {
        auto other = load(authority, run.against, run.against_toml, count_field(request, "replicates"),
                          count_field(request, "months"));
        if (other.option.kind == config::ScenarioKind::future)
          return error(422, "'" + run.against + "' is a future (a change in demand), not an option to set against");
        run.against_changed = std::move(other.option);
      } catch (const config::ConfigError& failure) {
        // Not the form's own fields: said as a whole, naming the other option.
        return error(422, "'" + run.against +
                              "', the option this one is set against, does not load: " + std::string(failure.what()));
      }
    }
    // Every scenario the run plans is named in its results file: none may
    // clash with another or with the file's own groups.
    std::vector<std::string> taken;
    const auto plan_name = [&](const std::string& planned) {
      taken.push_back(config::scenario_name(planned + ".toml", taken, "the run"));
    };
    plan_name(name);
    for (const auto& future : run.futures) {
      plan_name(future.name);
      plan_name(name + "_under_" + future.name);
    }
    if (!run.against.empty()) plan_name(run.against);
    const std::uint64_t id = runner_->submit(std::move(run));
    if (id == 0)
      return error(429, "the queue already holds " + std::to_string(Runner::max_queued) +
                            " runs; wait for one to finish or cancel one");
    return json_response(202, {{"id", id}});
  } catch (const config::ConfigError& failure) {
    return config_errors(failure);
  }
}

Response Api::run_status(const std::string& id) const {
  RunStatus status;
  const bool digits = !id.empty() && id.size() < 19 && std::all_of(id.begin(), id.end(), ::isdigit);
  if (!digits || !runner_->status(std::stoull(id), status)) return error(404, "there is no run " + id);
  json out = {{"id", status.id},         {"authority", status.authority},
              {"option", status.option}, {"state", name_of(status.state)},
              {"done", status.done},     {"total", status.total}};
  if (status.state == RunState::done) {
    out["seconds"] = status.seconds;
    out["runs"] = status.runs;
    out["runs_reused"] = status.runs_reused;
    out["result"] = json::parse(status.result_json);
  }
  if (status.state == RunState::failed) out["error"] = status.error;
  return json_response(200, out);
}

Response Api::run_cancel(const std::string& id) {
  const bool digits = !id.empty() && id.size() < 19 && std::all_of(id.begin(), id.end(), ::isdigit);
  if (!digits) return error(404, "there is no run " + id);
  if (!runner_->cancel(std::stoull(id))) return error(409, "run " + id + " is not queued or running");
  return json_response(200, {{"cancelled", std::stoull(id)}});
}

// A finished run's results file, or its board report (made on first asking,
// by the analysis package, as scripts/run makes out/report.html).
Response Api::run_file(const std::string& id, const std::string& file) {
  RunStatus status;
  const bool digits = !id.empty() && id.size() < 19 && std::all_of(id.begin(), id.end(), ::isdigit);
  if (!digits || !runner_->status(std::stoull(id), status)) return error(404, "there is no run " + id);
  if (status.state != RunState::done) return error(409, "run " + id + " has not finished");
  const auto read = [](const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  };
  if (file == "results.h5") return {200, "application/x-hdf5", read(status.results), status.option + "_results.h5"};
  if (file != "report.html") return error(404, "a run has results.h5 and report.html");
  if (options_.analysis.empty() || !fs::is_directory(options_.analysis / "analysis"))
    return error(501,
                 "the board report needs the analysis package of ehsim's source tree, which this server has "
                 "not got");
  const fs::path report = fs::path(status.results).replace_extension(".html");
  {
    const std::lock_guard lock(reports_);  // one report made at a time, and each once
    if (!fs::exists(report)) {
      const std::string command = "cd '" + options_.analysis.string() + "' && /usr/bin/python3 -m analysis.report '" +
                                  status.results.string() + "' -o '" + report.string() + "' > /dev/null 2>&1";
      if (std::system(command.c_str()) != 0 || !fs::exists(report))
        return error(500, "the board report could not be made (python3 -m analysis.report failed)");
    }
  }
  return {200, "text/html; charset=utf-8", read(report), status.option + "_report.html"};
}

Response Api::static_file(const std::string& path) const {
  if (options_.web.empty() || !fs::is_directory(options_.web))
    return {200, "text/html; charset=utf-8",
            "<!doctype html><title>ehsim serve</title><p>This ehsim was built without the web app; its JSON API is "
            "at <code>/api/</code> (docs/serve.md).</p>"};
  const fs::path root = fs::canonical(options_.web);
  const std::string relative = path == "/" || path.empty() ? "index.html" : path.substr(1);
  std::error_code failed;
  const fs::path file = fs::weakly_canonical(root / relative, failed);
  const auto [end, ignored] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  if (failed || end != root.end() || !fs::is_regular_file(file)) return error(404, "no such file: " + path);
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  const std::string extension = file.extension().string();
  const std::string type = extension == ".html"  ? "text/html; charset=utf-8"
                           : extension == ".js"  ? "text/javascript"
                           : extension == ".css" ? "text/css"
                           : extension == ".png" ? "image/png"
                                                 : "application/octet-stream";
  return {200, type, text.str()};
}

}  // namespace ehsim::serve

// ehsim serve's JSON API as a function, and once over a socket: options saved
// only inside the workspace, whole, never over a file it did not save; bad
// requests refused with the configuration's own file:line:key; a run gives
// what `ehsim run` gives; a queued run can be cancelled.
#include <signal.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <tuple>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "config/load.hpp"
#include "experiment/run_plan.hpp"
#include "experiment/summary.hpp"
#include "serve/api.hpp"
#include "serve/server.hpp"
#include "support.hpp"

namespace {

using namespace ehsim;
using nlohmann::json;
namespace fs = std::filesystem;

struct Fixture {
  testing::TempDir temp;
  fs::path folder = temp.path();
  serve::ApiOptions options() const {
    serve::ApiOptions o;
    o.workspace = folder / "workspace";
    o.configs = testing::source_path("configs");
    return o;
  }
};

// A request as the page sends it: a body is JSON and says so.
serve::Response call(serve::Api& api, const std::string& method, const std::string& target, const json& body = {},
                     std::map<std::string, std::string> headers = {}) {
  if ((method == "POST" || method == "PUT") && headers.count("content-type") == 0)
    headers["content-type"] = "application/json";
  return api.handle({method, target, body.is_null() ? std::string() : body.dump(), std::move(headers)});
}
const std::map<std::string, std::string> json_type{{"content-type", "application/json"}};

const std::string more_places =
    "description = \"Option: more intensive family support\"\n[services.intensive_family_service]\n"
    "capacity_cases = 300\n";

json body_of(const serve::Response& response) { return json::parse(response.body); }

serve::RunStatus wait_for(serve::Api& api, std::uint64_t id, json& last) {
  for (int i = 0; i < 6000; ++i) {
    last = body_of(call(api, "GET", "/api/runs/" + std::to_string(id)));
    const std::string state = last["state"];
    if (state != "queued" && state != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return {};
}

}  // namespace

TEST_CASE("the API lists the authorities, the schema's keys and the saved options", "[serve]") {
  Fixture fixture;
  serve::Api api(fixture.options());
  const auto authorities = body_of(call(api, "GET", "/api/authorities"))["authorities"];
  REQUIRE(authorities.size() >= 6);  // the default and the presets in configs/
  CHECK(authorities[0]["name"] == "default");
  bool barnet = false;
  for (const auto& a : authorities) barnet = barnet || a["name"] == "barnet";
  CHECK(barnet);
  for (const auto& a : authorities) CHECK(a["name"].get<std::string>().find('.') == std::string::npos);
  const auto keys = body_of(call(api, "GET", "/api/schema"))["keys"];
  bool capacity = false;
  for (const auto& key : keys)
    if (key["key"] == "services.<name>.capacity_cases") capacity = key["unit"] == "cases" && key.contains("min");
  CHECK(capacity);
  const auto detail = body_of(call(api, "GET", "/api/authorities/default"));
  CHECK(detail["levels"].size() == 4);
  bool intensive = false;
  for (const auto& service : detail["services"])
    intensive = intensive || (service["name"] == "intensive_family_service" && service["capacity_cases"] == 180 &&
                              service["statutory"] == false);
  CHECK(intensive);
  CHECK(detail["price_year"] == "2024");
  CHECK(call(api, "GET", "/api/authorities/atlantis").status == 404);
  // An authority of the workspace's own (a whole configuration, not an option) is offered too.
  {
    std::ofstream(fixture.folder / "workspace" / "our_borough.toml")
        << "extends = \"" << testing::source_path("configs/default.toml").string()
        << "\"\nname = \"our_borough\"\ndescription = \"Our borough, 41,000 families\"\n";
  }
  REQUIRE(call(api, "PUT", "/api/options/an_option", {{"toml", more_places}}).status == 200);
  const auto listed = body_of(call(api, "GET", "/api/authorities"))["authorities"];
  bool ours = false, option_listed = false;
  for (const auto& a : listed) {
    ours = ours || (a["name"] == "our_borough" && a["source"] == "workspace");
    option_listed = option_listed || a["name"] == "an_option";
  }
  CHECK(ours);
  CHECK_FALSE(option_listed);  // an overlay is not an authority
  CHECK(body_of(call(api, "GET", "/api/authorities/our_borough"))["description"] == "Our borough, 41,000 families");
  CHECK(
      call(api, "POST", "/api/check", {{"authority", "our_borough"}, {"name", "more"}, {"toml", more_places}}).status ==
      200);
  CHECK(call(api, "POST", "/api/check", {{"authority", "../configs/default"}, {"name", "more"}, {"toml", more_places}})
            .status == 400);
  CHECK(call(api, "GET", "/api/nothing").status == 404);
  CHECK(call(api, "POST", "/api/authorities").status == 404);
}

TEST_CASE("an option is checked with the configuration's file, line and key, and saved whole in the workspace only",
          "[serve]") {
  Fixture fixture;
  serve::Api api(fixture.options());
  const fs::path workspace = fixture.folder / "workspace";
  // A valid option: its differences from the authority, as ehsim diff gives them.
  const auto checked =
      call(api, "POST", "/api/check", {{"authority", "default"}, {"name", "more"}, {"toml", more_places}});
  REQUIRE(checked.status == 200);
  bool capacity = false;
  const json answer = body_of(checked);
  for (const auto& d : answer["differences"])
    capacity = capacity || (d["key"] == "services.intensive_family_service.capacity_cases" && d["option"] == "300");
  CHECK(capacity);
  // A value out of range: refused beside its field, nothing saved.
  const auto bad =
      call(api, "PUT", "/api/options/bad", {{"toml", "[services.intensive_family_service]\ncapacity_cases = -3\n"}});
  REQUIRE(bad.status == 422);
  const auto error = body_of(bad)["errors"][0];
  CHECK(error["file"] == "bad.toml");
  CHECK(error["line"] == 2);
  CHECK(error["key"] == "services.intensive_family_service.capacity_cases");
  CHECK_FALSE(fs::exists(workspace / "bad.toml"));
  // Saved, listed, read back; not saved over without replace.
  REQUIRE(call(api, "PUT", "/api/options/more", {{"toml", more_places}}).status == 200);
  CHECK(body_of(call(api, "GET", "/api/options"))["options"] == json::array({"more"}));
  const std::string saved = body_of(call(api, "GET", "/api/options/more"))["toml"];
  CHECK(saved.rfind(serve::saved_mark, 0) == 0);
  CHECK(saved.find(more_places) != std::string::npos);
  CHECK(config::load_scenario({}, workspace / "more.toml").services.size() > 0);  // the CLI reads it
  CHECK(call(api, "PUT", "/api/options/more", {{"toml", more_places}}).status == 409);
  CHECK(call(api, "PUT", "/api/options/more", {{"toml", more_places}, {"replace", true}}).status == 200);
  // A file the user wrote is never replaced.
  { std::ofstream(workspace / "mine.toml") << "# my own notes\n"; }
  CHECK(call(api, "PUT", "/api/options/mine", {{"toml", more_places}, {"replace", true}}).status == 409);
  CHECK(testing::read_text(workspace / "mine.toml") == "# my own notes\n");
  // No temporary left behind.
  for (const auto& entry : fs::directory_iterator(workspace))
    CHECK(entry.path().filename().string().find("saving") == std::string::npos);
}

TEST_CASE("no name reaches outside the workspace, and bad requests are refused", "[serve]") {
  Fixture fixture;
  serve::Api api(fixture.options());
  { std::ofstream(fixture.folder / "secret.toml") << "x = 1\n"; }
  for (const std::string& name :
       std::vector<std::string>{"..", "%2e%2e", "..%2Fsecret", "a.b", ".hidden", "x y", std::string(65, 'a'), "1abc"}) {
    INFO(name);
    CHECK(call(api, "GET", "/api/options/" + name).status == 400);
    CHECK(call(api, "PUT", "/api/options/" + name, {{"toml", more_places}}).status == 400);
  }
  CHECK(call(api, "GET", "/api/options/../secret").status == 404);  // not a route
  CHECK(call(api, "GET", "/api/options/absent").status == 404);
  CHECK(api.handle({"POST", "/api/check", "{not json", json_type}).status == 400);
  CHECK(api.handle({"POST", "/api/check", "[1, 2]", json_type}).status == 400);
  // What a page of another site can post without asking first (a form, text) is refused.
  const std::string run = json({{"authority", "default"}, {"name", "a"}, {"toml", more_places}}).dump();
  CHECK(api.handle({"POST", "/api/runs", run, {{"content-type", "text/plain"}}}).status == 415);
  CHECK(api.handle({"POST", "/api/runs", run, {}}).status == 415);
  CHECK(body_of(call(api, "GET", "/api/runs"))["runs"].empty());
  CHECK(call(api, "POST", "/api/check", {{"authority", "default"}, {"toml", more_places}}).status == 400);  // no name
  CHECK(call(api, "POST", "/api/check", {{"authority", "atlantis"}, {"name", "a"}, {"toml", ""}}).status == 400);
  CHECK(call(api, "POST", "/api/runs", {{"authority", "default"}, {"name", "a"}, {"toml", ""}, {"replicates", -2}})
            .status == 400);
  serve::ApiOptions small = fixture.options();
  small.max_body_bytes = 100;
  serve::Api limited(small);
  CHECK(limited.handle({"POST", "/api/check", std::string(101, ' '), json_type}).status == 413);
  // A future is not an option to compare.
  const auto future =
      call(api, "POST", "/api/runs", {{"authority", "default"}, {"name", "rise"}, {"toml", "kind = \"future\"\n"}});
  CHECK(future.status == 422);
}

TEST_CASE("with a token, every request needs it", "[serve]") {
  Fixture fixture;
  serve::ApiOptions options = fixture.options();
  options.token = "s3cret";
  serve::Api api(options);
  CHECK(call(api, "GET", "/api/health").status == 401);
  CHECK(call(api, "GET", "/api/health", {}, {{"authorization", "Bearer wrong"}}).status == 401);
  CHECK(call(api, "GET", "/api/health", {}, {{"authorization", "Bearer s3cret"}}).status == 200);
  // The page itself needs no token (a browser cannot send one for it); what it does does.
  CHECK(call(api, "GET", "/", {}, {}).status == 200);
  CHECK(call(api, "GET", "/api/options", {}, {{"authorization", "Bearer s3cre"}}).status == 401);
  CHECK(call(api, "GET", "/api/options", {}, {{"authorization", "Bearer s3cretX"}}).status == 401);
}

TEST_CASE("a run gives what ehsim run gives, and a queued run can be cancelled", "[serve][runs]") {
  Fixture fixture;
  serve::Api api(fixture.options());
  const json request = {
      {"authority", "default"}, {"name", "more"}, {"toml", more_places}, {"months", 12}, {"replicates", 2}};
  const auto submitted = call(api, "POST", "/api/runs", request);
  REQUIRE(submitted.status == 202);
  const std::uint64_t id = body_of(submitted)["id"];
  // Queued behind it, and cancelled before it starts.
  const auto second = call(api, "POST", "/api/runs", request);
  const std::uint64_t queued = body_of(second)["id"];
  REQUIRE(call(api, "DELETE", "/api/runs/" + std::to_string(queued)).status == 200);
  json last;
  wait_for(api, id, last);
  REQUIRE(last["state"] == "done");
  CHECK(last["done"] == 2);
  json cancelled;
  wait_for(api, queued, cancelled);
  CHECK(cancelled["state"] == "cancelled");
  CHECK(cancelled["done"] == 0);
  CHECK(call(api, "DELETE", "/api/runs/" + std::to_string(id)).status == 409);  // it has ended
  CHECK(call(api, "GET", "/api/runs/999").status == 404);
  CHECK(call(api, "GET", "/api/runs/abc").status == 404);
  // The same comparison through the run plan, as ehsim run makes it.
  config::Overrides overrides;
  overrides.months = 12;
  overrides.replicates = 2;
  const fs::path overlay = fixture.folder / "more.toml";
  { std::ofstream(overlay) << more_places; }
  const config::Authority base = config::default_authority(overrides);
  const config::Authority option = config::load_scenario({}, overlay, true, overrides);
  const auto plan = experiment::comparison_plan(base, {{"more", option, 0, "more", ""}});
  const auto summary = experiment::summarise(plan, experiment::run_and_keep(plan));
  const auto& result = last["result"];
  CHECK(result["differences"]["spend_nominal"]["mean"].get<double>() ==
        summary.comparisons[0].statistics(experiment::statistic::mean, experiment::measure::spend_nominal));
  CHECK(result["differences"]["top_level_family_months"]["q95"].get<double>() ==
        summary.comparisons[0].statistics(experiment::statistic::q95, experiment::measure::top_level_family_months));
  CHECK(result["levels"].size() == 4);
  CHECK(result["scenarios"]["baseline"]["demand"]["mean"].size() == 4);
  CHECK(result["scenarios"]["more"]["demand"]["mean"][3].size() == 12);
  CHECK(result["price_year"] == "2024");
  bool intensive = false;
  for (const auto& service : result["scenarios"]["more"]["services"])
    intensive = intensive || (service["name"] == "intensive_family_service" && service["capacity_mean"] == 300.0);
  CHECK(intensive);
  CHECK(result["scenarios"]["baseline"]["dashboard"]["by_year"].size() == 1);  // 12 months: one financial year
  // Its results file is the one ehsim run writes, and its board report is made from it.
  const auto file = call(api, "GET", "/api/runs/" + std::to_string(id) + "/results.h5");
  REQUIRE(file.status == 200);
  CHECK(file.download == "more_results.h5");
  CHECK(file.body.rfind("\x89HDF", 0) == 0);
  CHECK(call(api, "GET", "/api/runs/" + std::to_string(queued) + "/results.h5").status == 409);  // cancelled
  CHECK(call(api, "GET", "/api/runs/" + std::to_string(id) + "/other.txt").status == 404);
  CHECK(call(api, "GET", "/api/runs/" + std::to_string(id) + "/report.html").status == 501);  // no analysis/ given
  const auto runs = body_of(call(api, "GET", "/api/runs"))["runs"];
  CHECK(runs.size() == 2);
}

TEST_CASE("the queue holds a bounded number of runs, and says so when full", "[serve][runs]") {
  Fixture fixture;
  serve::Api api(fixture.options());
  const json request = {{"authority", "default"}, {"name", "more"}, {"toml", more_places}, {"replicates", 4}};
  std::vector<std::uint64_t> accepted;
  int full = 0;
  for (std::size_t i = 0; i < serve::Runner::max_queued + 2; ++i) {
    const auto answer = call(api, "POST", "/api/runs", request);
    if (answer.status == 202) accepted.push_back(body_of(answer)["id"]);
    if (answer.status == 429) ++full;
  }
  CHECK(full >= 1);
  CHECK(accepted.size() <= serve::Runner::max_queued + 1);  // the queue, and one running
  for (const auto id : accepted) call(api, "DELETE", "/api/runs/" + std::to_string(id));
}

TEST_CASE("an option runs under each future asked for, as ehsim run --future runs it", "[serve][runs]") {
  Fixture fixture;
  serve::ApiOptions options = fixture.options();
  options.scenarios = testing::source_path("scenarios");
  serve::Api api(options);
  const auto futures = body_of(call(api, "GET", "/api/futures"))["futures"];
  REQUIRE(futures.size() == 1);  // the options in scenarios/ are not offered as futures
  CHECK(futures[0]["name"] == "rise_in_domestic_abuse");
  const json request = {{"authority", "default"}, {"name", "more"},  {"toml", more_places},
                        {"months", 24},           {"replicates", 2}, {"futures", {"rise_in_domestic_abuse"}}};
  CHECK(call(api, "POST", "/api/runs",
             {{"authority", "default"}, {"name", "more"}, {"toml", more_places}, {"futures", {"atlantis"}}})
            .status == 400);
  // A future whose schedule falls outside a short run is refused at its own line.
  json short_run = request;
  short_run["months"] = 12;
  const auto refused = call(api, "POST", "/api/runs", short_run);
  REQUIRE(refused.status == 422);
  CHECK(body_of(refused)["errors"][0]["key"] == "themes.domestic_abuse.onset_multiplier_from_month");
  const auto submitted = call(api, "POST", "/api/runs", request);
  REQUIRE(submitted.status == 202);
  json last;
  wait_for(api, body_of(submitted)["id"], last);
  REQUIRE(last["state"] == "done");
  const auto& decision = last["result"]["decision"];
  REQUIRE(decision.size() == 2);
  CHECK(decision[0]["future"] == "");
  CHECK(decision[1]["future"] == "rise_in_domestic_abuse");
  // The same pair as ehsim run --scenario more.toml --future rise_in_domestic_abuse.toml makes it.
  config::Overrides overrides;
  overrides.months = 24;
  overrides.replicates = 2;
  const fs::path overlay = fixture.folder / "more.toml";
  { std::ofstream(overlay) << more_places; }
  const fs::path future = testing::source_path("scenarios/rise_in_domestic_abuse.toml");
  const config::Authority base = config::default_authority(overrides);
  const auto plan = experiment::comparison_plan(
      base, {{"more", config::load_scenario({}, overlay, true, overrides), 0, "more", ""},
             {"rise", config::load_scenario({}, future, true, overrides), 0, "", "rise"},
             {"more_under_rise", config::load_scenario_under({}, future, overlay, overrides), 2, "more", "rise"}});
  const auto summary = experiment::summarise(plan, experiment::run_and_keep(plan));
  CHECK(decision[1]["spend_nominal"]["mean"].get<double>() ==
        summary.comparisons[2].statistics(experiment::statistic::mean, experiment::measure::spend_nominal));
  CHECK(decision[1]["top_level_family_months"]["q05"].get<double>() ==
        summary.comparisons[2].statistics(experiment::statistic::q05, experiment::measure::top_level_family_months));
}

TEST_CASE("the server answers over a socket, survives a client that goes away, and serves only its web folder",
          "[serve][socket]") {
  namespace beast = boost::beast;
  namespace http = beast::http;
  using tcp = boost::asio::ip::tcp;
  Fixture fixture;
  serve::ApiOptions options = fixture.options();
  options.web = fixture.folder / "web";
  fs::create_directories(options.web);
  { std::ofstream(options.web / "index.html") << "<!doctype html><title>app</title>"; }
  { std::ofstream(fixture.folder / "outside.txt") << "not served"; }
  serve::Api api(options);
  serve::Server server(api, "127.0.0.1", 0);
  std::thread serving([&] { server.run(); });
  boost::asio::io_context context;
  const auto get = [&](const std::string& target, const std::string& host = "127.0.0.1") {
    tcp::socket socket(context);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), server.port()});
    http::request<http::string_body> request(http::verb::get, target, 11);
    request.set(http::field::host, host + ":" + std::to_string(server.port()));
    http::write(socket, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(socket, buffer, response);
    return response;
  };
  {  // a client that connects and goes away without a word
    tcp::socket socket(context);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), server.port()});
  }
  const auto health = get("/api/health");
  CHECK(health.result_int() == 200);
  CHECK(json::parse(health.body())["ok"] == true);
  const auto index = get("/");
  CHECK(index.result_int() == 200);
  CHECK(index.body().find("<title>app</title>") != std::string::npos);
  CHECK(get("/../outside.txt").result_int() == 404);
  // A page of another site reaching this port through its own name (DNS rebinding) is refused.
  CHECK(get("/api/health", "evil.example").result_int() == 403);
  CHECK(get("/api/health", "localhost").result_int() == 200);
  // A client that sends half a request and waits does not keep the server from stopping.
  tcp::socket idle(context);
  idle.connect({boost::asio::ip::make_address("127.0.0.1"), server.port()});
  boost::asio::write(idle, boost::asio::buffer(std::string("GET /api/hea")));
  CHECK(get("/%2e%2e/outside.txt").result_int() == 404);
  server.stop();
  serving.join();
}

TEST_CASE("a server removes only the folders earlier servers left with their mark", "[serve]") {
  // A process id no process has (the test needs one).
  int dead = 999999;
  while (::kill(dead, 0) == 0 || errno != ESRCH) --dead;
  const fs::path temp = fs::temp_directory_path();
  const fs::path marked = temp / ("ehsim-serve-" + std::to_string(dead) + "-1-0");
  const fs::path unmarked = temp / ("ehsim-serve-" + std::to_string(dead) + "-2-0");
  const fs::path named_alike = temp / ("ehsim-serve-" + std::to_string(dead) + "-3-0");
  fs::create_directories(marked);
  fs::create_directories(unmarked);
  fs::create_directories(named_alike);
  { std::ofstream(marked / ".ehsim-serve") << "made by ehsim serve (pid 1); removed when it stops\n"; }
  { std::ofstream(unmarked / "someone's.txt") << "not ehsim's\n"; }
  // A file of the mark's name that is not the mark: someone else's folder.
  { std::ofstream(named_alike / ".ehsim-serve") << "my notes\n"; }
  {
    Fixture fixture;
    serve::Api api(fixture.options());
  }
  CHECK_FALSE(fs::exists(marked));
  CHECK(testing::read_text(unmarked / "someone's.txt") == "not ehsim's\n");
  CHECK(testing::read_text(named_alike / ".ehsim-serve") == "my notes\n");
  fs::remove_all(unmarked);
  fs::remove_all(named_alike);
}

TEST_CASE("an option run finds its baseline warmed up or run before, with the same results", "[serve][runs]") {
  Fixture fixture;
  fs::create_directories(fixture.folder / "runs");
  fs::create_directories(fixture.folder / "warm-runs");
  config::Authority base = testing::small_default(1500, 12);
  base.simulation.replicates = 2;
  const auto with_places = [&](std::int64_t factor) {
    config::Authority option = base;
    for (auto& service : option.services)
      if (service.name == "intensive_family_service") service.capacity_cases *= factor;
    return option;
  };
  const auto finished = [](serve::Runner& runner, std::uint64_t id) {
    serve::RunStatus status;
    for (int i = 0; i < 6000 && runner.status(id, status) &&
                    (status.state == serve::RunState::queued || status.state == serve::RunState::running);
         ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return status;
  };
  const serve::RunRequest request{"small", "more", "", "", base, with_places(2), {}};
  // Cold: the baseline is run with the option.
  serve::Runner cold(fixture.folder / "runs");
  const auto alone = finished(cold, cold.submit(request));
  REQUIRE(alone.state == serve::RunState::done);
  CHECK(alone.runs == 4);
  CHECK(alone.runs_reused == 0);
  CHECK(cold.cached_runs() == 4);
  // The same option again: nothing runs.
  const auto again = finished(cold, cold.submit(request));
  CHECK(again.runs_reused == 4);
  CHECK(again.result_json == alone.result_json);
  // Another option: only its own runs.
  const auto other = finished(cold, cold.submit({"small", "most", "", "", base, with_places(3), {}}));
  REQUIRE(other.state == serve::RunState::done);
  CHECK(other.runs_reused == 2);
  CHECK(other.result_json != alone.result_json);
  // Warmed up while the user builds the option: the run finds the baseline.
  serve::Runner warm(fixture.folder / "warm-runs");
  warm.warm(base);
  for (int i = 0; i < 6000 && warm.cached_runs() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(warm.cached_runs() == 2);
  const auto warmed = finished(warm, warm.submit(request));
  REQUIRE(warmed.state == serve::RunState::done);
  CHECK(warmed.runs_reused == 2);
  CHECK(warmed.result_json == alone.result_json);
}

TEST_CASE("opening an authority warms up its baseline, which a run of more replicates then finds", "[serve][runs]") {
  Fixture fixture;
  fs::create_directories(fixture.folder / "workspace");
  {
    std::ofstream(fixture.folder / "workspace" / "small_town.toml")
        << "extends = \"" << testing::source_path("configs/default.toml").string() << "\"\n"
        << "name = \"Small town\"\ndescription = \"A small authority\"\n"
        << "[population]\nfamilies = 1200\ncapacity_reference_families = 1200\n"
        << "[simulation]\nmonths = 12\nreplicates = 2\n";
  }
  serve::Api api(fixture.options());
  REQUIRE(call(api, "GET", "/api/authorities/small_town").status == 200);
  json health;
  for (int i = 0; i < 3000; ++i) {
    health = body_of(call(api, "GET", "/api/health"));
    if (health["runs_kept"].get<std::size_t>() >= 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(health["runs_kept"] == 2);
  // The page sends its own replicates: 3, of which the warm-up ran 2.
  const auto submitted =
      call(api, "POST", "/api/runs",
           {{"authority", "small_town"}, {"name", "more"}, {"toml", more_places}, {"replicates", 3}});
  REQUIRE(submitted.status == 202);
  json last;
  wait_for(api, body_of(submitted)["id"], last);
  REQUIRE(last["state"] == "done");
  CHECK(last["runs"] == 6);
  CHECK(last["runs_reused"] == 2);
}

TEST_CASE("an option set against another gives ehsim run's pair of them, from the runs already kept", "[serve][runs]") {
  Fixture fixture;
  serve::Api api(fixture.options());
  const std::string fewer_places =
      "description = \"Option: fewer intensive places\"\n[services.intensive_family_service]\ncapacity_cases = 90\n";
  const json first = {
      {"authority", "default"}, {"name", "more"}, {"toml", more_places}, {"months", 12}, {"replicates", 2}};
  json last;
  wait_for(api, body_of(call(api, "POST", "/api/runs", first))["id"], last);
  REQUIRE(last["state"] == "done");
  CHECK(last["result"].count("against") == 0);
  json against = first;
  against["against"] = {{"name", "fewer"}, {"toml", fewer_places}};
  const auto submitted = call(api, "POST", "/api/runs", against);
  REQUIRE(submitted.status == 202);
  wait_for(api, body_of(submitted)["id"], last);
  REQUIRE(last["state"] == "done");
  CHECK(last["runs"] == 6);
  CHECK(last["runs_reused"] == 4);  // the baseline and this option, run before
  const auto& pair = last["result"]["against"];
  CHECK(pair["option"] == "fewer");
  CHECK(pair["option_description"] == "Option: fewer intensive places");
  CHECK(last["result"]["decision"].size() == 1);  // the option as planned, not the one it is set against
  // The same pair as the run plan makes it.
  config::Overrides overrides;
  overrides.months = 12;
  overrides.replicates = 2;
  const fs::path more_file = fixture.folder / "more.toml", fewer_file = fixture.folder / "fewer.toml";
  { std::ofstream(more_file) << more_places; }
  { std::ofstream(fewer_file) << fewer_places; }
  const auto plan =
      experiment::comparison_plan(config::default_authority(overrides),
                                  {{"more", config::load_scenario({}, more_file, true, overrides), 0, "more", ""},
                                   {"fewer", config::load_scenario({}, fewer_file, true, overrides), 0, "fewer", ""}});
  const auto summary = experiment::summarise(plan, experiment::run_and_keep(plan));
  REQUIRE(summary.pairs.size() == 1);
  for (const std::size_t column :
       {std::size_t{experiment::measure::spend_nominal}, std::size_t{experiment::pair_column::cash_spend},
        std::size_t{experiment::pair_column::first_costs_less}}) {
    INFO(experiment::pair_column::name(column));
    CHECK(pair["differences"][experiment::pair_column::name(column)]["mean"].get<double>() ==
          summary.pairs[0].statistics(experiment::statistic::mean, column));
  }
  // Refused: against itself, a future, or an option that does not load.
  against["against"] = {{"name", "more"}, {"toml", more_places}};
  CHECK(call(api, "POST", "/api/runs", against).status == 422);
  against["against"] = {{"name", "rise"}, {"toml", "kind = \"future\"\n[population]\nfamilies = 40000\n"}};
  CHECK(call(api, "POST", "/api/runs", against).status == 422);
  against["against"] = {{"name", "broken"}, {"toml", "[services.intensive_family_service]\ncapacity_cases = -3\n"}};
  const auto broken = call(api, "POST", "/api/runs", against);
  CHECK(broken.status == 422);
  CHECK(broken.body.find("capacity_cases") != std::string::npos);
  against["against"] = "fewer";
  CHECK(call(api, "POST", "/api/runs", against).status == 400);
}

TEST_CASE("a run whose scenarios' names clash with each other or with the results file's groups is refused",
          "[serve][runs]") {
  Fixture fixture;
  serve::ApiOptions options = fixture.options();
  options.scenarios = testing::source_path("scenarios");
  serve::Api api(options);
  const auto submit = [&](const std::string& name, const std::string& against, bool future) {
    json request = {{"authority", "default"}, {"name", name}, {"toml", more_places}, {"months", 24}, {"replicates", 1}};
    if (future) request["futures"] = {"rise_in_domestic_abuse"};
    if (!against.empty()) request["against"] = {{"name", against}, {"toml", more_places}};
    return call(api, "POST", "/api/runs", request);
  };
  for (const auto& [name, against, future] :
       std::vector<std::tuple<std::string, std::string, bool>>{{"baseline", "", false},
                                                               {"pairs", "", false},
                                                               {"a_vs_b", "", false},
                                                               {"more", "baseline", false},
                                                               {"more", "summary", false},
                                                               {"more", "rise_in_domestic_abuse", true},
                                                               {"more", "more_under_rise_in_domestic_abuse", true}}) {
    INFO(name << " against '" << against << "'" << (future ? " under the future" : ""));
    const auto refused = submit(name, against, future);
    CHECK(refused.status == 422);
    CHECK(body_of(call(api, "GET", "/api/runs"))["runs"].empty());  // nothing queued
  }
}

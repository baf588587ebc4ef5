#include "calibration/presets.hpp"

#include <system_error>

#include "config/load.hpp"
#include "config/schema.hpp"
#include "config/toml_text.hpp"

namespace ehsim::calibration {

namespace {

using config::between;
using config::TableSpec;

TableSpec<Preset> preset_spec() {
  TableSpec<Preset> spec;
  spec.key("config", &Preset::config,
           {.unit = "", .description = "The preset's configuration, relative to this file's folder, e.g. barnet.toml."})
      .key("targets", &Preset::targets,
           {.unit = "",
            .description = "Its targets file (CSV: measure, period, value, uncertainty, source), relative to this "
                           "file's folder."})
      .key("holdout_from", &Preset::holdout_from,
           {.unit = "YYYY-MM",
            .fallback = std::string(),
            .description = "The month from which its calibration held targets out (`ehsim calibrate "
                           "--holdout-from`): those are the backcast, predicted rather than fitted. Empty: every "
                           "target was fitted, or the preset is not calibrated."})
      .key("made_by", &Preset::made_by,
           {.unit = "",
            .fallback = std::string(),
            .description = "The command that makes the configuration (its calibration), shown on the page so that "
                           "it can be reproduced; empty for a configuration written by hand."})
      .key("not_met", &Preset::not_met,
           {.unit = "",
            .fallback = std::vector<std::string>{},
            .description = "Targets (\"measure @ period\", as the table labels them) the preset is known not to "
                           "meet, each a measured gap that docs/validation.md explains. A target met that is "
                           "listed, or one not met that is not, fails the check."});
  return spec;
}

const TableSpec<PresetList>& list_spec() {
  static const TableSpec<PresetList> spec = [] {
    TableSpec<PresetList> root;
    root.key("replicates", &PresetList::replicates,
             {.unit = "runs",
              .fallback = std::int64_t{20},
              .bounds = between(2, 1000),
              .description = "Runs of each preset: the simulated mean and the 5%-95% range of outcomes."})
        .key("tolerance", &PresetList::tolerance,
             {.unit = "uncertainties",
              .fallback = 2.0,
              .bounds = between(0.1, 100),
              .description = "A target is met when its simulated mean is within this many of its uncertainties "
                             "(the targets file's one standard deviation) of the observed figure."})
        .table_array("presets", &PresetList::presets, preset_spec(), "The presets, in the order the page shows them.");
    return root;
  }();
  return spec;
}

}  // namespace

PresetList load_presets(const std::filesystem::path& path) {
  PresetList list;
  const std::string name = path.string();
  const config::TomlValue document = config::parse_toml_text(config::read_config_file(path), name);
  config::Diagnostics diagnostics;
  config::ParseContext ctx{diagnostics, {}};
  ctx.positions[""] = {name, 0};
  list_spec().parse(&document, list, ctx, "", {name, 0});
  if (diagnostics.empty() && list.presets.empty())
    ctx.error(ctx.position("presets"), "presets", "a presets file names at least one [[presets]] entry");
  const auto folder = path.parent_path();
  for (std::size_t p = 0; p < list.presets.size(); ++p) {
    auto& preset = list.presets[p];
    const std::string key = "presets[" + std::to_string(p) + "]";
    preset.where = ctx.position(key);
    preset.holdout_where = ctx.position(key + ".holdout_from");
    for (const auto& [field, file] : {std::pair{".config", preset.config}, std::pair{".targets", preset.targets}}) {
      std::error_code ec;
      if (!std::filesystem::is_regular_file(folder / file, ec))
        ctx.error(ctx.position(key + field), key + field,
                  "no file " + (folder / file).string() + " (paths are relative to the presets file's folder)");
    }
    for (std::size_t q = 0; q < p; ++q)
      if (list.presets[q].config == preset.config)
        ctx.error(ctx.position(key + ".config"), key + ".config",
                  "'" + preset.config + "' is already presets[" + std::to_string(q) + "]");
  }
  if (!diagnostics.empty()) throw config::ConfigError(diagnostics.issues());
  return list;
}

std::string presets_reference_markdown() {
  std::vector<config::KeyDoc> docs;
  list_spec().document(docs, "");
  std::string text = "| key | type | default | description |\n|---|---|---|---|\n";
  for (const auto& doc : docs) {
    if (doc.type == "list of tables") continue;
    text += "| `" + doc.key + "` | " + doc.type + " | `" + doc.default_value + "` | " + doc.description + " |\n";
  }
  return text;
}

}  // namespace ehsim::calibration

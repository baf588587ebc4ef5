"""The analysis package: tables that equal the file, a report with every
chart, that opens in headless Chromium with the comparison on its first screen."""
import pathlib
import shutil
import subprocess
import sys

import h5py
import numpy as np
import pytest

from conftest import SOURCE_DIR, run_ehsim

sys.path.insert(0, str(SOURCE_DIR))
from analysis import load  # noqa: E402  (the package of this repository, not an installed one)


def run_module(*args, check=True):
    return subprocess.run(["/usr/bin/python3", "-m", *map(str, args)], capture_output=True, text=True,
                          cwd=SOURCE_DIR, check=check)


@pytest.fixture(scope="module")
def comparison(tmp_path_factory):
    path = tmp_path_factory.mktemp("analysis") / "options.h5"
    run_ehsim("run", "--months", 36, "--replicates", 3, "--scenario", SOURCE_DIR / "scenarios" / "invest_to_save.toml",
              "--scenario", SOURCE_DIR / "scenarios" / "cut_childrens_centre_outreach.toml", "--out", path)
    return path


def test_the_comparison_table_equals_the_file(comparison, tmp_path):
    import sys
    sys.path.insert(0, str(SOURCE_DIR))
    from analysis import load
    table = load.comparisons(comparison)
    assert list(table.index) == ["cut_childrens_centre_outreach", "invest_to_save"]
    with h5py.File(comparison) as f:
        columns = [c.decode() for c in f["axes/comparison_measure"][()]]
        statistics = [s.decode() for s in f["axes/statistic"][()]]
        stats = f["comparisons/invest_to_save_vs_baseline/statistics"][()]
        differences = f["comparisons/invest_to_save_vs_baseline/differences"][()]
    row = table.loc["invest_to_save"]
    assert row["spend_nominal_mean"] == stats[statistics.index("mean"), columns.index("spend_nominal")] / 100
    assert row["spend_nominal_mean"] == pytest.approx(differences[:, columns.index("spend_nominal")].mean() / 100)
    assert row["probability_saves_money"] == differences[:, columns.index("saves_money")].mean()
    # The CSV holds the same numbers.
    csv = tmp_path / "table.csv"
    printed = run_module("analysis.tables", comparison, "--csv", csv).stdout
    assert "invest_to_save" in printed and "chance it saves money" in printed
    import pandas as pd
    from_csv = pd.read_csv(csv, index_col="option")
    assert from_csv.loc["invest_to_save", "spend_nominal_mean"] == pytest.approx(row["spend_nominal_mean"])


def test_two_options_are_set_against_each_other_replicate_by_replicate(comparison, tmp_path):
    pairs = load.pairs(comparison)
    assert list(pairs.index) == [("invest_to_save", "cut_childrens_centre_outreach")]
    pair = pairs.iloc[0]
    with h5py.File(comparison) as f:
        columns = [c.decode() for c in f["axes/comparison_measure"][()]]
        first = f["comparisons/invest_to_save_vs_baseline/differences"][()]
        second = f["comparisons/cut_childrens_centre_outreach_vs_baseline/differences"][()]
        spend = {name: f[f"summary/{name}/measures"][()][:, 0] for name in ("invest_to_save",
                                                                                "cut_childrens_centre_outreach")}
        cash = {name: np.array([f[f"{name}/replicate_{r:04d}/monthly/spend_by_payer"][()][:, :, 1].sum()
                                for r in range(3)]) for name in spend}
    # Against the same baseline with the same luck: the pair is the difference of the two comparisons.
    by_replicate = first[:, columns.index("spend_nominal")] - second[:, columns.index("spend_nominal")]
    assert pair["spend_nominal_mean"] == pytest.approx(by_replicate.mean() / 100)
    assert pair["spend_nominal_mean"] == pytest.approx((spend["invest_to_save"] -
                                                        spend["cut_childrens_centre_outreach"]).mean() / 100)
    assert pair["cash_spend_mean"] == pytest.approx((cash["invest_to_save"] -
                                                     cash["cut_childrens_centre_outreach"]).mean() / 100)
    assert pair["probability_first_costs_less"] == (by_replicate < 0).mean()
    report = tmp_path / "report.html"
    run_module("analysis.report", comparison, "-o", report)
    text = report.read_text()
    table = text[text.index('<table id="pairs">'):]
    assert "Chance it spends less" in table[:table.index("</table>")]
    printed = run_ehsim("run", "--months", 36, "--replicates", 3, "--scenario",
                        SOURCE_DIR / "scenarios" / "invest_to_save.toml", "--scenario",
                        SOURCE_DIR / "scenarios" / "cut_childrens_centre_outreach.toml", "--out",
                        tmp_path / "again.h5").stdout
    assert "invest_to_save against cut_childrens_centre_outreach: net +" in printed
    printed = run_module("analysis.tables", comparison).stdout
    assert "The options against each other, the first less the second" in printed


def test_monthly_frames_hold_every_scenario_and_replicate(comparison):
    import sys
    sys.path.insert(0, str(SOURCE_DIR))
    from analysis import load
    stocks = load.monthly(comparison, "stock_families")
    assert list(stocks.columns) == ["universal", "additional", "complex", "acute"]
    assert stocks.index.get_level_values("scenario").unique().tolist() == [
        "baseline", "invest_to_save", "cut_childrens_centre_outreach"]
    assert len(stocks) == 3 * 3 * 36
    with h5py.File(comparison) as f:
        np.testing.assert_array_equal(stocks.sort_index().loc[("invest_to_save", 1)].to_numpy(),
                                      f["invest_to_save/replicate_0001/monthly/stock_families"][()])
    closures = load.monthly(comparison, "service_closures")
    assert closures.columns.nlevels == 2


def test_spend_by_service_over_the_horizon_equals_the_file_and_matches_services_by_name(tmp_path):
    import sys
    sys.path.insert(0, str(SOURCE_DIR))
    from analysis import load
    path = tmp_path / "fgc.h5"
    # Family group conferencing adds a service the baseline lacks.
    run_ehsim("run", "--months", 24, "--replicates", 2, "--scenario",
              SOURCE_DIR / "scenarios" / "family_group_conferencing.toml", "--out", path)
    totals = load.spend_by_service_over_horizon(path)
    assert list(totals.index) == ["baseline", "family_group_conferencing"]
    with h5py.File(path) as f:
        baseline_services = {n.decode() for n in f["baseline/axes/service"][()]}
        for scenario in totals.index:
            names = [n.decode() for n in f[f"{scenario}/axes/service"][()]]
            spend = np.mean([f[f"{scenario}/replicate_{r:04d}/financial_year/spend_by_service"][()].sum(axis=0)
                             for r in range(2)], axis=0) / 100
            for name, value in zip(names, spend):
                assert totals.loc[scenario, name] == pytest.approx(value, rel=1e-12), (scenario, name)
            for name in set(totals.columns) - set(names):
                assert totals.loc[scenario, name] == 0, (scenario, name)
    added = set(totals.columns) - baseline_services
    assert len(added) == 1 and totals.loc["family_group_conferencing", next(iter(added))] > 0
    labels = load.service_labels(path)
    assert set(labels) == set(totals.columns) and all(labels.values())
    # The report draws both, the added service included, over the run's length.
    report = tmp_path / "report.html"
    run_module("analysis.report", path, "-o", report)
    text = report.read_text()
    assert 'id="spend-change-by-service"' in text and "Change in spend by service over 2 years" in text


def test_the_report_has_every_chart_and_the_first_screen(comparison, tmp_path):
    report = tmp_path / "report.html"
    assert "Report:" in run_module("analysis.report", comparison, "-o", report).stdout
    text = report.read_text()
    for section in ("comparison-table", "fan-charts-1", "fan-charts-4", "spend-by-level", "spend-by-service",
                    "spend-change-by-service", "services", "dashboard", "assumptions"):
        assert f'id="{section}"' in text or f"id={section}" in text, section
    # a fan chart per level, spend by level, by service and its change, services, dashboard
    assert text.count("data:image/png;base64,") == 4 + 5
    assert "http://" not in text and "https://" not in text  # self-contained
    assert "£" in text and "Chance it saves money" in text
    # Which interval is which, in plain words, and whether parameter uncertainty is in the ranges.
    assert '"mean" is the 95% interval of\nthe mean difference' in text
    assert "from chance alone: no parameter uncertainty was drawn" in text
    assert "<th>Adjusted for optimism bias</th>" in text
    # Two options: ranked against each other, with their ranks and cash.
    ranked = text[text.index("<h3>The options ranked</h3>"):]
    ranked = ranked[:ranked.index("</table>")]
    assert "#1" in ranked and "#2" in ranked and "in cash" in ranked
    printed = run_module("analysis.tables", comparison).stdout
    assert "The options ranked, each against the baseline with the same random numbers:" in printed


def test_each_family_is_set_against_itself_and_the_families_add_up_to_the_spend_difference(comparison, tmp_path):
    with h5py.File(comparison) as f:
        columns = [c.decode() for c in f["axes/family_column"][()]]
        measures = [c.decode() for c in f["axes/comparison_measure"][()]]
        for option in ("invest_to_save", "cut_childrens_centre_outreach"):
            group = f[f"comparisons/{option}_vs_baseline"]
            rows = group["family_differences"][()]
            # Over every family, exactly the spend difference, replicate by replicate.
            np.testing.assert_array_equal(rows[:, columns.index("all_families")],
                                          group["differences"][()][:, measures.index("spend_nominal")])
            assert (rows[:, columns.index("helped_families")] > 0).all()
            share = rows[:, columns.index("share_cost_more")]
            assert ((share >= 0) & (share <= 1)).all()
            assert group["family_differences_by_payer"].shape == (3, len(f["axes/payer"]), 2)
    table = load.family_savings(comparison)
    assert set(table.index) == {"invest_to_save", "cut_childrens_centre_outreach"}
    report = tmp_path / "report.html"
    run_module("analysis.report", comparison, "-o", report)
    text = report.read_text()
    assert 'id="family-savings"' in text and "the same family's cost in the baseline" in text


def test_with_parameter_uncertainty_the_terminal_and_the_report_say_the_ranges_carry_it(tmp_path):
    out = tmp_path / "uncertain.h5"
    printed = run_ehsim("run", SOURCE_DIR / "configs" / "default_with_uncertainty.toml", "--families", 3000,
                        "--months", 24, "--replicates", 3, "--scenario",
                        SOURCE_DIR / "scenarios" / "more_intensive_family_support.toml", "--out", out).stdout
    assert "parameter uncertainty: 3 keys drawn afresh for each replicate" in printed
    report = tmp_path / "report.html"
    run_module("analysis.report", out, "-o", report)
    assert "with 3 uncertain parameters drawn afresh for each replicate" in report.read_text()


def test_costs_outside_spend_are_read_by_line_and_agree_with_the_comparison(comparison, tmp_path):
    import math
    lines = load.partner_costs(comparison, "baseline")
    assert set(lines["value"]) == {"fiscal", "economic", "social"}
    assert (lines["pounds"] > 0).all() and all(lines["source"])
    assert set(lines.loc[lines["value"] == "fiscal", "payer"]) == {"police", "justice"}
    # The default's lines are all charged on family-months with domestic abuse active.
    assert set(lines["basis"]) == {"theme_month"} and set(lines["charged_on"]) == {"domestic_abuse"}
    table = load.comparisons(comparison)
    for option in ("invest_to_save", "cut_childrens_centre_outreach"):
        difference = load.partner_differences(comparison, option, "baseline")
        row = table.loc[option]
        # The mean of the paired differences is the difference of the means.
        assert math.isclose(difference["fiscal"], row["partner_costs_fiscal_mean"], rel_tol=1e-9, abs_tol=1e-6)
        assert math.isclose(difference["economic"], row["economic_costs_mean"], rel_tol=1e-9, abs_tol=1e-6)
        assert math.isclose(difference["social"], row["social_costs_mean"], rel_tol=1e-9, abs_tol=1e-6)
        assert math.isclose(difference["fiscal"], sum(total for total, _ in difference["by_payer"].values()),
                            rel_tol=1e-12, abs_tol=1e-6)
    report = tmp_path / "report.html"
    run_module("analysis.report", comparison, "-o", report)
    text = report.read_text()
    partners = text[text.index('<table id="partners">'):]
    partners = partners[:partners.index("</ul>")]
    for words in ("Partners' costs", "Lost output", "Wellbeing", "police", "justice", "Home Office (2019)"):
        assert words in partners, words


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is installed by scripts/setup")
def test_the_report_opens_in_headless_chromium_with_the_comparison_first(comparison, tmp_path):
    report = tmp_path / "report.html"
    run_module("analysis.report", comparison, "-o", report)
    shot = tmp_path / "first_screen.png"
    common = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
              "--window-size=1280,900", "--enable-logging=stderr", "--v=0"]
    result = subprocess.run([*common, f"--screenshot={shot}", report.as_uri()], capture_output=True, text=True,
                            timeout=120)
    assert shot.exists() and shot.stat().st_size > 20_000  # a rendered page, not a blank one
    with open(shot, "rb") as stream:
        header = stream.read(24)
    width, height = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
    assert (width, height) == (1280, 900)
    console_errors = [line for line in result.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console_errors == []
    dom = subprocess.run([*common, "--dump-dom", report.as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    assert 'id="comparison-table"' in dom
    # The ranking comes first, then the comparison table, before any chart: the first screen.
    assert dom.index('id="decision-table"') < dom.index("comparison-table") < dom.index("fan-charts-1")
    ranking = dom[dom.index('id="decision-table"'):]
    ranking = ranking[:ranking.index("</table>")]
    # The page's own text: ranked, with net cost in cash and in total, level 4 and care at the end.
    assert ranking.index("#1") < ranking.index("#2")
    for words in ("in cash", "net ", "level 4 family-months", "children in care at the end", "outcomes"):
        assert words in ranking, words
    # Labels are the overlays' titles, never file names.
    assert "invest £1m a year in intensive family support" in ranking
    assert "invest_to_save" not in dom[:dom.index("fan-charts-1")]


@pytest.fixture(scope="module")
def sweep_results(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("sweep")
    base = tmp_path / "base.toml"
    base.write_text(f'extends = "{SOURCE_DIR / "configs" / "default.toml"}"\n[simulation]\nmonths = 12\n'
                    'burn_in_months = 12\n[population]\nfamilies = 1500\n')
    sweep = tmp_path / "sweep.toml"
    sweep.write_text('design = "morris"\nbase = "base.toml"\npoints = 2\n[[parameters]]\n'
                     'key = "services.intensive_family_service.escalation_hazard_ratio"\nmin = 0.6\nmax = 1.0\n'
                     '[[parameters]]\nkey = "front_door.waiting_escalation_hazard_ratio"\nmin = 1.0\nmax = 1.5\n')
    out = tmp_path / "sweep.h5"
    run_ehsim("sweep", sweep, "--out", out)
    return out


def test_a_sweep_file_gets_a_tornado_chart_and_the_design_table(sweep_results, tmp_path):
    report = tmp_path / "sweep.html"
    run_module("analysis.report", sweep_results, "-o", report)
    text = report.read_text()
    assert 'id="tornado"' in text and "id=design-table" in text
    assert text.count("<tr><td>") == 6  # the design's points


def test_a_file_that_is_not_there_is_an_error_not_a_traceback(tmp_path):
    result = subprocess.run(["/usr/bin/python3", "-m", "analysis.tables", tmp_path / "missing.h5"],
                            capture_output=True, text=True, cwd=SOURCE_DIR)
    assert result.returncode == 2 and "missing.h5" in result.stderr and "Traceback" not in result.stderr


def test_the_tables_of_a_sweep_file_give_each_points_means(sweep_results):
    result = run_module("analysis.tables", sweep_results)
    lines = result.stdout.splitlines()
    assert lines[0].split()[:1] == ["point"] and "spend" in lines[0] and "level 4 family-months" in lines[0]
    with h5py.File(sweep_results) as f:
        points = f["design/points"].shape[0]
    assert [line.split()[0] for line in lines[1:points + 1]] == [str(p) for p in range(points)]
    assert "replicates at each point" in result.stdout


def test_the_tables_of_a_file_with_the_baseline_only_say_so_and_succeed(small_results):
    result = run_module("analysis.tables", small_results, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{small_results} compares no options (run ehsim with --scenario).\n"


def _empty_hdf5(path):
    h5py.File(path, "w").close()


def _hdf5_of_another_program(path):
    with h5py.File(path, "w") as f:
        f.attrs["creator"] = "someone else"
        f["data"] = np.arange(3)


def _results_of_a_later_layout(path):
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "ehsim results 2"


@pytest.mark.parametrize("module", ["analysis.tables", "analysis.report"])
@pytest.mark.parametrize("make, says", [
    (_empty_hdf5, "is not an ehsim results file (no 'format' attribute)"),
    (_hdf5_of_another_program, "is not an ehsim results file (no 'format' attribute)"),
    (_results_of_a_later_layout, "is not a file this version of analysis reads (format 'ehsim results 2'"),
    (lambda path: path.write_text("seed,spend\n1,2\n"), "is not an HDF5 file"),
    (lambda path: path.write_bytes(b""), "is not an HDF5 file"),
    (lambda path: None, "does not exist"),
    (lambda path: path.mkdir(), "is a folder, not a results file"),
], ids=["empty-hdf5", "other-hdf5", "later-layout", "text", "empty-file", "missing", "folder"])
def test_a_file_that_is_not_ehsim_results_exits_2_saying_what_it_is(tmp_path, module, make, says):
    path = tmp_path / "given.h5"
    make(path)
    report = tmp_path / "report.html"
    result = run_module(module, path, "-o" if module == "analysis.report" else "--csv", report, check=False)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"{module}: {path} {says}") and result.stderr.count("\n") == 1, result.stderr
    assert not report.exists() and not (tmp_path / "report.html.partial").exists()


# Where the analysis tools write: the rules ehsim's --out follows (docs/reliability.md). Each tool replaces only a
# file it wrote (the report by its generator mark, the CSV by the header analysis.tables writes), anything else only
# with --force, and never a folder, a device or its own input.

OUTPUT_OPTION = {"analysis.report": "-o", "analysis.tables": "--csv"}
OUTPUTS = pytest.mark.parametrize("module", ["analysis.report", "analysis.tables"])


@pytest.fixture
def results_for(request):
    """The results file each tool is given: the report draws a baseline-only run (faster), the tables need options."""
    return lambda module: request.getfixturevalue("small_results" if module == "analysis.report" else "comparison")


def write_output(module, results, out, *extra):
    return run_module(module, results, OUTPUT_OPTION[module], out, *extra, check=False)


def is_own_output(module, path):
    """What each tool recognises as its own: the report's generator mark in its head, the CSV's header line."""
    data = path.read_bytes()
    if module == "analysis.report":
        return b'<meta name="generator" content="ehsim analysis.report">' in data[:4096]
    header = data.split(b"\n", 1)[0]
    return header.startswith(b"option,replicates,spend_nominal_mean,") and header.endswith(b",probability_saves_money")


def assert_refused(result, module, out, says):
    assert result.returncode == 2 and result.stdout == "", (result.stdout, result.stderr)
    assert result.stderr.startswith(f"{module}: {OUTPUT_OPTION[module]} {out}: {says}"), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr


def assert_no_temporary(*folders):
    for folder in folders:
        assert [p.name for p in pathlib.Path(folder).iterdir() if ".partial" in p.name] == [], folder


@OUTPUTS
@pytest.mark.parametrize("force", [[], ["--force"]], ids=["no-force", "force"])
@pytest.mark.parametrize("spelling", ["itself", "symlink", "hard-link"])
def test_an_output_that_is_the_input_is_refused_even_with_force_and_the_input_kept(
        results_for, tmp_path, module, force, spelling):
    results = tmp_path / "results.h5"
    shutil.copyfile(results_for(module), results)
    before = results.read_bytes()
    out = results
    if spelling == "symlink":
        out = tmp_path / "link.out"
        out.symlink_to(results.name)
    elif spelling == "hard-link":
        out = tmp_path / "hard.out"
        out.hardlink_to(results)
    assert_refused(write_output(module, results, out, *force), module, out,
                   f"it is an input of this command ({results}); write to another file")
    assert results.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({"results.h5", out.name})
    assert spelling != "symlink" or out.is_symlink()


@OUTPUTS
def test_a_file_the_tool_did_not_write_is_refused_and_kept_then_replaced_with_force(results_for, tmp_path, module):
    out = tmp_path / ("report.html" if module == "analysis.report" else "table.csv")
    # Someone else's file of the same kind: a page of notes, a CSV of another program.
    mine = (b"<!DOCTYPE html><html><head><title>My notes</title></head><body>ehsim analysis.report</body></html>\n"
            if module == "analysis.report" else b"option,cost\nA,1\n")
    out.write_bytes(mine)
    assert_refused(write_output(module, results_for(module), out), module, out,
                   f"the file exists and is not one {module} wrote; give another path, or --force to replace it")
    assert out.read_bytes() == mine
    assert_no_temporary(tmp_path)
    result = write_output(module, results_for(module), out, "--force")
    assert result.returncode == 0, result.stderr
    assert is_own_output(module, out)
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def _without_the_mark(module, text):
    """The tool's own output edited so that it no longer says whose it is."""
    if module == "analysis.tables":
        return text.replace("option,replicates,", "Option,replicates,", 1)
    # Neither the generator mark nor the opening reports had before they carried it.
    return text.replace('<meta name="generator" content="ehsim analysis.report">', "", 1).replace(
        "<html lang=en-GB>", "<html lang=en>", 1)


@OUTPUTS
def test_its_own_earlier_output_is_replaced_without_force_but_not_once_it_loses_its_mark(
        results_for, tmp_path, module):
    out = tmp_path / ("report.html" if module == "analysis.report" else "table.csv")
    assert write_output(module, results_for(module), out).returncode == 0
    assert is_own_output(module, out)
    out.write_text(out.read_text() + "an analyst's note\n")
    result = write_output(module, results_for(module), out)
    assert result.returncode == 0, result.stderr
    assert "an analyst's note" not in out.read_text() and is_own_output(module, out)
    assert [p.name for p in tmp_path.iterdir()] == [out.name]
    unmarked = _without_the_mark(module, out.read_text())
    out.write_text(unmarked)
    assert_refused(write_output(module, results_for(module), out), module, out, "the file exists and is not one")
    assert out.read_text() == unmarked
    assert_no_temporary(tmp_path)


def test_a_report_written_before_reports_carried_their_mark_is_replaced_without_force(small_results, tmp_path):
    # As scripts/run, re-run over an out/report.html that an earlier version wrote.
    out = tmp_path / "report.html"
    assert write_output("analysis.report", small_results, out).returncode == 0
    earlier = out.read_text().replace('<meta name="generator" content="ehsim analysis.report">', "", 1)
    out.write_text(earlier)
    result = write_output("analysis.report", small_results, out)
    assert result.returncode == 0, result.stderr
    assert is_own_output("analysis.report", out)
    # The same opening with another style is someone else's page.
    out.write_text(earlier.replace('font-family: "DejaVu Sans"', 'font-family: "Arial"', 1))
    assert_refused(write_output("analysis.report", small_results, out), "analysis.report", out,
                   "the file exists and is not one analysis.report wrote")
    assert_no_temporary(tmp_path)


@OUTPUTS
def test_a_read_only_file_is_replaced_only_with_force(results_for, tmp_path, module):
    out = tmp_path / ("report.html" if module == "analysis.report" else "table.csv")
    assert write_output(module, results_for(module), out).returncode == 0
    out.write_text(out.read_text() + "kept\n")
    out.chmod(0o444)
    before = out.read_bytes()
    assert_refused(write_output(module, results_for(module), out), module, out,
                   "the file is read-only; give another path, or --force to replace it")
    assert out.read_bytes() == before
    assert_no_temporary(tmp_path)
    result = write_output(module, results_for(module), out, "--force")
    assert result.returncode == 0, result.stderr
    assert "kept\n" not in out.read_text() and is_own_output(module, out)
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


@OUTPUTS
@pytest.mark.parametrize("force", [[], ["--force"]], ids=["no-force", "force"])
@pytest.mark.parametrize("target", ["folder", "device"])
def test_a_folder_or_a_device_is_refused_even_with_force(results_for, tmp_path, module, force, target):
    if target == "folder":
        out = tmp_path / "report.html"
        out.mkdir()
        (out / "notes.txt").write_text("mine\n")
    else:
        out = pathlib.Path("/dev/null")
    assert_refused(write_output(module, results_for(module), out, *force), module, out,
                   f"it is a {target}; {module} writes only to a file")
    if target == "folder":
        assert out.is_dir() and [p.name for p in out.iterdir()] == ["notes.txt"]
        assert (out / "notes.txt").read_text() == "mine\n"
    else:
        import stat
        assert stat.S_ISCHR(out.stat().st_mode)
    assert_no_temporary(tmp_path, out.parent)


@OUTPUTS
def test_a_link_is_followed_its_file_replaced_and_the_link_kept_and_a_dangling_link_refused(
        results_for, tmp_path, module):
    real, links = tmp_path / "real", tmp_path / "links"
    real.mkdir()
    links.mkdir()
    name = "report.html" if module == "analysis.report" else "table.csv"
    assert write_output(module, results_for(module), real / name).returncode == 0
    (real / name).write_text((real / name).read_text() + "an analyst's note\n")
    link = links / name
    link.symlink_to(pathlib.Path("..") / "real" / name)
    result = write_output(module, results_for(module), link)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and str(link.readlink()) == f"../real/{name}"
    assert "an analyst's note" not in (real / name).read_text() and is_own_output(module, real / name)
    assert [p.name for p in real.iterdir()] == [name] and [p.name for p in links.iterdir()] == [name]
    dangling = links / "dangling.out"
    dangling.symlink_to(pathlib.Path("..") / "real" / "missing.out")
    assert_refused(write_output(module, results_for(module), dangling), module, dangling,
                   "a link to ../real/missing.out, which does not exist; give the file's own path")
    assert dangling.is_symlink() and not (real / "missing.out").exists()
    assert sorted(p.name for p in links.iterdir()) == sorted([name, "dangling.out"])
    assert_no_temporary(real, links)


@OUTPUTS
def test_an_output_in_a_missing_folder_is_refused_before_any_work(results_for, tmp_path, module):
    out = tmp_path / "missing" / "out.file"
    assert_refused(write_output(module, results_for(module), out), module, out,
                   f"cannot write: folder {out.parent} does not exist")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("failure", [OSError, KeyboardInterrupt])
def test_a_failure_while_writing_leaves_the_file_as_it_was_and_no_temporary(tmp_path, failure):
    import sys
    sys.path.insert(0, str(SOURCE_DIR))
    from analysis import safe_output
    out = tmp_path / "report.html"
    out.write_text("the earlier report\n")
    target = safe_output.check_target(out, tool="analysis.report", option="-o", is_own=lambda path: True)
    with pytest.raises(failure):
        with safe_output.atomic_text(target) as stream:
            stream.write("half a report")
            raise failure("disk full")
    assert out.read_text() == "the earlier report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
    with safe_output.atomic_text(target) as stream:
        stream.write("the new report\n")
    assert out.read_text() == "the new report\n" and [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_a_future_is_shown_apart_from_the_options_without_a_return(tmp_path):
    import sys
    sys.path.insert(0, str(SOURCE_DIR))
    from analysis import load, report, tables
    path = tmp_path / "futures.h5"
    run_ehsim("run", "--months", 24, "--replicates", 2, "--families", 3000,
              "--scenario", SOURCE_DIR / "scenarios" / "rise_in_domestic_abuse.toml",
              "--scenario", SOURCE_DIR / "scenarios" / "invest_to_save.toml", "--out", path)
    assert load.kinds(path) == {"baseline": "option", "rise_in_domestic_abuse": "future", "invest_to_save": "option"}
    table = load.comparisons(path)
    future = table.loc["rise_in_domestic_abuse"]
    assert future["return_per_pound_mean"] != future["return_per_pound_mean"]  # NaN: no return
    assert future["probability_saves_money"] != future["probability_saves_money"]
    assert table.loc["invest_to_save", "probability_saves_money"] in (0.0, 0.5, 1.0)
    rows = {row["option"]: row for row in tables.comparison_rows(path)}
    assert rows["rise_in_domestic_abuse (a future)"]["return per £1"] == "– (a future)"
    page = report.build(path)
    screen = page[page.index('id="comparison"'):page.index('id=demand')]
    assert "Futures: changes in demand, not options" in screen
    futures_table = screen[screen.index('id="futures-table"'):]
    futures_table = futures_table[:futures_table.index("</table>")]
    assert "domestic abuse onset 20% higher" in futures_table
    options_table = screen[screen.index('id="comparison-table"'):]
    options_table = options_table[:options_table.index("</table>")]
    assert "domestic abuse" not in options_table
    sentence = screen[screen.index("<b>Future: domestic abuse"):]
    sentence = sentence[:sentence.index("</p>")]
    assert "neither an investment nor a saving" in sentence and "saved elsewhere" not in sentence
    # Who pays, in cash and not, for both.
    who = screen[screen.index('id="who-pays"'):]
    who = who[:who.index("</table>")]
    assert "In cash (cashable)" in who and "childrens services" in who
    assert "domestic abuse onset 20% higher" in who and "intensive family support" in who

"""The HDF5 results file as a Python analyst reads it: layout, units,
exact accounting, the documented pandas example, and no half-written files."""
import re
import signal
import subprocess
import time
import tomllib

import h5py
import numpy as np

from conftest import BINARY, SOURCE_DIR, run_ehsim


def test_root_attributes_and_axes_describe_the_run(small_results):
    with h5py.File(small_results) as f:
        assert f.attrs["format"] == "ehsim results 1"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", f.attrs["created_utc"])
        assert f.attrs["seed"] == 5
        assert "--trajectories" in f.attrs["command_line"]
        assert list(f.attrs["scenarios"]) == ["baseline"]
        assert list(f["axes/level"].asstr()[:]) == ["universal", "additional", "complex", "acute"]
        months = f["axes/month"].asstr()[:]
        assert len(months) == 24 and months[0] == "2025-04" and months[-1] == "2027-03"
        assert list(f["axes/financial_year"][:12]) == [2025] * 12
        assert len(f["axes/theme"]) == 8


def test_the_resolved_configuration_is_stored_and_reads_as_toml(small_results):
    with h5py.File(small_results) as f:
        config = tomllib.loads(f["config/baseline"].asstr()[()])
    assert config["population"]["families"] == 2000
    assert config["simulation"]["months"] == 24
    assert len(config["levels"]) == 4
    assert "extends" not in config


def test_every_dataset_carries_units_and_a_description(small_results):
    missing = []

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset) and ("units" not in obj.attrs or not obj.attrs.get("description")):
            missing.append(name)

    with h5py.File(small_results) as f:
        f.visititems(visit)
    assert missing == []


def test_stocks_flows_and_departures_add_up_exactly_in_the_file(small_results):
    with h5py.File(small_results) as f:
        for replicate in ("replicate_0000", "replicate_0001"):
            run = f["baseline"][replicate]
            stock = run["monthly/stock_families"][:]
            flows = run["monthly/flows"][:]
            arrivals = run["monthly/arrivals"][:]
            left = run["monthly/departures_aged_out"][:] + run["monthly/departures_moved"][:]
            previous = np.vstack([run["initial/stock_families"][:][None, :], stock[:-1]])
            assert stock.dtype == np.int64 and stock.shape == (24, 4) and flows.shape == (24, 4, 4)
            np.testing.assert_array_equal(flows.sum(axis=2), previous - left)
            np.testing.assert_array_equal(flows.sum(axis=1) + arrivals, stock)


def test_trajectories_match_the_monthly_stocks(small_results):
    with h5py.File(small_results) as f:
        run = f["baseline/replicate_0000"]
        levels = run["trajectories/level"]
        assert levels.dtype == np.int8 and levels.compression == "gzip" and levels.chunks is not None
        trajectories = levels[:]
        stock = run["monthly/stock_families"][:]
        for level in range(1, 5):
            np.testing.assert_array_equal((trajectories == level).sum(axis=0), stock[:, level - 1])
        events = run["trajectories/events"][:]
        names = list(f["axes/event_type"].asstr()[:])
        assert set(events.dtype.names) == {"family", "month", "type", "from_level", "to_level", "service"}
        arrivals = (events["type"] == names.index("arrival")).sum()
        assert arrivals == run["monthly/arrivals"][:].sum()


def test_the_pandas_example_in_docs_output_md_runs(small_results, tmp_path, capsys):
    doc = (SOURCE_DIR / "docs" / "output.md").read_text()
    example = re.search(r"## Reading with pandas.*?```python\n(.*?)```", doc, re.S).group(1)
    assert len(example.strip().splitlines()) <= 7
    exec(example.replace('"out/results.h5"', repr(str(small_results))), {})
    printed = capsys.readouterr().out
    assert "universal" in printed and "2027-03" in printed


def test_without_trajectories_no_trajectory_group_is_written(tmp_path):
    path = tmp_path / "plain.h5"
    run_ehsim("run", "--families", 300, "--months", 3, "--out", path)
    with h5py.File(path) as f:
        assert "trajectories" not in f["baseline/replicate_0000"]


def test_a_killed_run_never_leaves_an_incomplete_file_under_the_final_name(tmp_path):
    path = tmp_path / "killed.h5"
    for delay in (0.05, 0.3, 0.8):
        process = subprocess.Popen([str(BINARY), "run", "--families", "200000", "--months", "120", "--trajectories",
                                    "--threads", "1", "--out", str(path)], stdout=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if path.exists():  # it finished first: then it must be whole
            with h5py.File(path) as f:
                assert f["baseline/replicate_0000/monthly/stock_families"].shape == (120, 4)
            path.unlink()
    leftovers = [p.name for p in tmp_path.iterdir() if not p.name.startswith(".killed.h5.partial-")]
    assert leftovers == []


def test_a_bad_configuration_exits_2_and_writes_nothing(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text(f'extends = "{SOURCE_DIR / "configs" / "default.toml"}"\n[population]\nfamilies = -3\n')
    result = run_ehsim("run", config, "--out", tmp_path / "never.h5", check=False)
    assert result.returncode == 2
    assert f"{config}:3: population.families:" in result.stderr
    assert not (tmp_path / "never.h5").exists()


def test_a_full_disk_is_an_ordinary_error_that_leaves_nothing(tmp_path):
    import pytest
    disk = tmp_path / "tiny"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=20k", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("cannot mount a small file system here (needs root)")
    try:
        result = run_ehsim("run", "--families", 3000, "--months", 24, "--out", disk / "r.h5", check=False)
        assert result.returncode == 2
        assert "No space left on device" in result.stderr and "nothing was written" in result.stderr
        assert list(disk.iterdir()) == []
    finally:
        subprocess.run(["umount", str(disk)], check=True)


# The default authority's own service catalogue, with a capacity schedule and
# a front door that cannot decide every referral.
SERVICES = """
[population]
capacity_reference_families = 0  # the capacities below are absolute, whatever --families says
[front_door]
triage_capacity_per_month = 60
[services.intensive_family_service]
capacity_from_month = { "2026-04" = 25 }
"""


def test_a_run_with_services_writes_their_caseload_queues_and_decisions(tmp_path):
    config = tmp_path / "services.toml"
    config.write_text(f'extends = "{SOURCE_DIR / "configs" / "default.toml"}"\n' + SERVICES)
    path = tmp_path / "services.h5"
    run_ehsim("run", config, "--families", 4000, "--months", 24, "--replicates", 1, "--trajectories", "--out", path)
    with h5py.File(path) as f:
        services = list(f["axes/service"].asstr()[:])
        kinds = list(f["axes/service_kind"].asstr()[:])
        assert len(services) == len(kinds) == 9 and services == sorted(services)
        intensive = services.index("intensive_family_service")
        assert list(f["axes/service_label"].asstr()[:])[intensive] == "Intensive family service"
        statutory = np.array([kind in ("children_in_need", "child_protection", "children_in_care") for kind in kinds])
        run = f["baseline/replicate_0000"]
        caseload = run["monthly/service_caseload"][:]
        capacity = run["monthly/service_capacity"][:]
        admissions = run["monthly/service_admissions"][:]
        closures = run["monthly/service_closures"][:]
        outcomes = list(f["axes/closure_outcome"].asstr()[:])
        assert outcomes == ["needs_met", "stepped_up", "other", "transferred"]
        assert caseload.shape == (24, 9) and closures.shape == (24, 9, len(outcomes))
        # Admissions never take a caseload above its capacity; a cut in capacity
        # (the intensive service's, from month 12) closes no case, so until
        # enough close the caseload can sit above the new capacity, admitting no one.
        over = (caseload > capacity)[:, ~statutory]
        assert not (over & (admissions[:, ~statutory] > 0)).any()
        assert not over[:12].any()
        np.testing.assert_array_equal(caseload[1:], caseload[:-1] + admissions[1:] - closures[1:].sum(axis=2))
        assert capacity[11, intensive] == 180 and capacity[12, intensive] == 25  # 2026-04 is month 12
        front_door = run["monthly/front_door"][:]
        measures = list(f["axes/front_door_measure"].asstr()[:])
        assert front_door.shape == (24, len(measures)) and (front_door[:, measures.index("referrals")] > 0).all()
        assert (front_door[:, measures.index("triaged")] <= 60).all()
        events = run["trajectories/events"][:]
        names = list(f["axes/event_type"].asstr()[:])
        admitted = events[events["type"] == names.index("admission")]
        assert len(admitted) == admissions.sum()
        assert set(admitted["service"]) <= set(range(1, 10)) and len(admitted) > 0
        # The dashboard: early help is every service that is not statutory.
        indicators = run["monthly/indicators"][:]
        columns = list(f["axes/indicator"].asstr()[:])
        np.testing.assert_array_equal(indicators[:, columns.index("early_help_open_cases")],
                                      caseload[:, ~statutory].sum(axis=1))
        children = run["monthly/service_children"][:]
        np.testing.assert_array_equal(indicators[:, columns.index("children_in_care")],
                                      children[:, services.index("children_in_care")])
        # Money: pence, exact totals, and financial years (April to March) summing the months.
        by_level = run["monthly/spend_by_level"][:]
        assert by_level.dtype == np.int64 and run["monthly/spend_by_level"].attrs["units"] == "pence"
        np.testing.assert_array_equal(by_level.sum(axis=1), run["monthly/spend_by_payer"][:].sum(axis=(1, 2)))
        for breakdown in ("spend_by_locality", "spend_by_deprivation", "spend_by_age_band"):
            np.testing.assert_array_equal(by_level.sum(axis=1), run["monthly/" + breakdown][:].sum(axis=1))
        years = f["axes/financial_years"][:]
        assert list(years) == [2025, 2026]
        yearly = run["financial_year/spend_by_level"][:]
        month_years = f["axes/financial_year"][:]
        for row, year in enumerate(years):
            np.testing.assert_array_equal(yearly[row], by_level[month_years == year].sum(axis=0))
        # The dashboard by financial year: flows summed, stocks as at the year's last month.
        yearly_indicators = run["financial_year/indicators"][:]
        stocks = {"early_help_open_cases", "early_help_open_case_months", "children_on_plans", "children_in_care",
                  "families_waiting"}
        for row, year in enumerate(years):
            months = np.flatnonzero(month_years == year)
            for c, column in enumerate(columns):
                expected = indicators[months[-1], c] if column in stocks else indicators[months, c].sum()
                assert yearly_indicators[row, c] == expected, (year, column)


def test_a_comparison_is_the_option_minus_the_baseline_replicate_by_replicate(tmp_path):
    path = tmp_path / "compare.h5"
    run_ehsim("run", "--scenario", SOURCE_DIR / "scenarios" / "invest_to_save.toml", "--months", 36,
              "--replicates", 3, "--out", path)
    with h5py.File(path) as f:
        assert list(f.attrs["scenarios"]) == ["baseline", "invest_to_save"]
        measures = list(f["axes/measure"].asstr()[:])
        columns = list(f["axes/comparison_measure"].asstr()[:])
        statistics = list(f["axes/statistic"].asstr()[:])
        option = f["summary/invest_to_save/measures"][:]
        baseline = f["summary/baseline/measures"][:]
        comparison = f["comparisons/invest_to_save_vs_baseline"]
        differences = comparison["differences"][:]
        assert comparison.attrs["option"] == "invest_to_save"
        assert differences.shape == (3, len(columns)) and columns[: len(measures)] == measures
        np.testing.assert_allclose(differences[:, : len(measures)], option - baseline)
        # The measures come from the runs: spend is the sum of the monthly spend.
        for r in range(3):
            spend = f[f"invest_to_save/replicate_{r:04d}/monthly/spend_by_level"][:].sum()
            assert option[r, measures.index("spend_nominal")] == spend
        stats = comparison["statistics"][:]
        mean = stats[statistics.index("mean")]
        np.testing.assert_allclose(mean[: len(measures)], differences[:, : len(measures)].mean(axis=0))
        saves = differences[:, columns.index("saves_money")]
        assert set(saves) <= {0.0, 1.0}
        assert mean[columns.index("saves_money")] == saves.mean()
        low, high = stats[statistics.index("ci95_low")], stats[statistics.index("ci95_high")]
        finite = np.isfinite(mean)
        assert (low[finite] <= mean[finite]).all() and (mean[finite] <= high[finite]).all()
        assert differences[:, columns.index("spend_nominal")].any()  # the option changes something
        # Fan charts: ordered quantiles of families at each level.
        fan = f["summary/baseline/stock_families_quantiles"][:]
        assert fan.shape[0] == 5 and (np.diff(fan, axis=0) >= 0).all()
        # Reinvestment rows per financial year in the option, none in the baseline.
        assert f["invest_to_save/replicate_0000/financial_year/reinvestment"].shape == (3, 8)
        assert f["baseline/replicate_0000/financial_year/reinvestment"].shape == (0, 8)
        assert list(f["invest_to_save/axes/service"].asstr()[:]) == list(f["axes/service"].asstr()[:])


def test_uncertain_parameters_are_drawn_per_replicate_and_stored(tmp_path):
    path = tmp_path / "uncertain.h5"
    run_ehsim("run", SOURCE_DIR / "configs" / "default_with_uncertainty.toml", "--scenario",
              SOURCE_DIR / "scenarios" / "more_intensive_family_support.toml", "--families", 3000, "--months", 24,
              "--replicates", 3, "--out", path)
    with h5py.File(path) as f:
        keys = list(f["uncertainty/parameter"].asstr()[:])
        draws = f["uncertainty/draws"][:]
        assert keys[0] == "services.intensive_family_service.escalation_hazard_ratio"
        assert draws.shape == (3, 3) and len(set(draws[:, 0])) == 3
        assert ((draws[:, 2] >= 0.8) & (draws[:, 2] <= 1.0)).all()
    # The same command again draws the same values.
    again = tmp_path / "again.h5"
    run_ehsim("run", SOURCE_DIR / "configs" / "default_with_uncertainty.toml", "--families", 3000, "--months", 24,
              "--replicates", 3, "--out", again)
    with h5py.File(again) as f:
        np.testing.assert_array_equal(f["uncertainty/draws"][:], draws)

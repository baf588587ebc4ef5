"""Every option under every future (`ehsim run --future`): the decision table
in the file, the terminal, analysis.tables and the report, and that an
option under a future is exactly the option with the future's overlay
applied by hand."""
import h5py
import numpy as np
import pytest

from conftest import SOURCE_DIR, run_ehsim

FUTURE = ('description = "Future: more domestic abuse from the first month"\nkind = "future"\n'
          '[themes.domestic_abuse]\nonset_multiplier_from_month = { "2025-06" = 1.6 }\n')
OPTION = ('description = "Option: more intensive family support"\n'
          '[services.intensive_family_service]\ncapacity_cases = 240\n')
# The two overlays in one file, by hand: the future's change and the option's.
BY_HAND = ('description = "Option: more intensive family support"\n'
           '[themes.domestic_abuse]\nonset_multiplier_from_month = { "2025-06" = 1.6 }\n'
           '[services.intensive_family_service]\ncapacity_cases = 240\n')
SMALL = ["--families", 3000, "--months", 18, "--replicates", 3, "--seed", 11]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("futures")
    paths = {}
    for name, text in (("more_abuse", FUTURE), ("more_places", OPTION), ("by_hand", BY_HAND)):
        paths[name] = folder / f"{name}.toml"
        paths[name].write_text(text)
    return folder, paths


@pytest.fixture(scope="module")
def decided(files):
    folder, paths = files
    out = folder / "decided.h5"
    result = run_ehsim("run", *SMALL, "--scenario", paths["more_places"], "--future", paths["more_abuse"],
                       "--out", out)
    return out, result.stdout


def runs_of(path, scenario):
    """Every dataset of every replicate of a scenario, by its path under the scenario's group."""
    found = {}
    with h5py.File(path) as f:
        def visit(name, item):
            if isinstance(item, h5py.Dataset) and name.startswith("replicate_"):
                found[name] = item[()]
        f[scenario].visititems(visit)
    return found


def test_an_option_under_a_future_is_the_option_with_the_future_applied_by_hand(files, decided):
    folder, paths = files
    out, _ = decided
    by_hand = folder / "by_hand.h5"
    run_ehsim("run", *SMALL, "--scenario", paths["more_abuse"], "--scenario", paths["by_hand"], "--out", by_hand)
    under = runs_of(out, "more_places_under_more_abuse")
    hand = runs_of(by_hand, "by_hand")
    assert under and under.keys() == hand.keys()
    for name in under:
        assert np.array_equal(under[name], hand[name]), name
    # The future alone is the same run in both files, and it differs from the baseline.
    assert all(np.array_equal(a, b) for a, b in zip(runs_of(out, "more_abuse").values(),
                                                      runs_of(by_hand, "more_abuse").values()))
    with h5py.File(out) as f:
        assert not np.array_equal(f["more_abuse/replicate_0000/monthly/stock_families"][()],
                                  f["baseline/replicate_0000/monthly/stock_families"][()])


def test_the_file_places_each_comparison_in_the_decision_table(decided):
    out, _ = decided
    with h5py.File(out) as f:
        assert [str(s) for s in f.attrs["scenarios"]] == ["baseline", "more_places", "more_abuse",
                                                           "more_places_under_more_abuse"]
        cells = {name: (f[f"comparisons/{name}"].attrs["baseline"], f[f"comparisons/{name}"].attrs["decision_option"],
                        f[f"comparisons/{name}"].attrs["decision_future"]) for name in f["comparisons"]}
        assert cells == {"more_places_vs_baseline": ("baseline", "more_places", ""),
                         "more_abuse_vs_baseline": ("baseline", "", "more_abuse"),
                         "more_places_under_more_abuse_vs_more_abuse": ("more_abuse", "more_places", "more_abuse")}
        # Under the future, the difference is against the future's own runs.
        group = f["comparisons/more_places_under_more_abuse_vs_more_abuse"]
        columns = [c.decode() if isinstance(c, bytes) else str(c) for c in f["axes/comparison_measure"][()]]
        spend = columns.index("spend_nominal")
        summary = {name: f[f"summary/{name}/measures"][()] for name in ("more_places_under_more_abuse", "more_abuse")}
        assert np.array_equal(group["differences"][()][:, spend],
                              summary["more_places_under_more_abuse"][:, 0] - summary["more_abuse"][:, 0])
        # The pair's configuration is the option's: its kind and description.
        text = f["config/more_places_under_more_abuse"][()].decode()
        assert 'kind = "option"' in text and "Option: more intensive family support" in text
        source = f["config/source/more_places_under_more_abuse"][()].decode()
        assert "more_abuse.toml" in source and "more_places.toml" in source


def test_the_terminal_prints_the_decision_table_and_ranks_only_options_as_planned(decided):
    _, printed = decided
    table = printed[printed.index("Each option under each future"):]
    assert "as planned" in table and "more_abuse" in table and "chance it saves money" in table
    # The pair is in the table, not printed as an option of its own.
    assert 'Option "more_places_under_more_abuse"' not in printed
    assert 'Future "more_abuse"' in printed


def test_analysis_tables_and_the_report_show_the_decision_table(decided, tmp_path):
    out, _ = decided
    import subprocess
    import sys
    printed = subprocess.run([sys.executable, "-m", "analysis.tables", str(out)], cwd=SOURCE_DIR,
                             capture_output=True, text=True, check=True).stdout
    decision = printed[printed.index("Each option under each future"):]
    assert "more_places" in decision and "as planned" in decision and "more_abuse" in decision
    comparison = printed[:printed.index("Each option under each future")]
    assert "more_places_under_more_abuse" not in comparison
    report = tmp_path / "report.html"
    subprocess.run([sys.executable, "-m", "analysis.report", str(out), "--out", str(report)], cwd=SOURCE_DIR,
                   check=True, capture_output=True)
    html = report.read_text()
    assert 'id="decision-table"' in html
    table = html[html.index('id="decision-table"'):]
    table = table[:table.index("</table>")]
    assert "As planned" in table and "Future: more domestic abuse from the first month" in table
    assert "in cash" in table and "#1" in table


def test_a_future_with_the_kind_of_an_option_or_a_clash_of_keys_exits_2_and_writes_nothing(files, tmp_path):
    _, paths = files
    out = tmp_path / "refused.h5"
    refused = run_ehsim("run", *SMALL, "--future", paths["more_places"], "--out", out, check=False)
    assert refused.returncode == 2
    assert "more_places.toml: kind: --future takes a change in demand" in refused.stderr
    clash = tmp_path / "clash.toml"
    clash.write_text('[themes.domestic_abuse]\nonset_multiplier_from_month = { "2025-06" = 0.8 }\n')
    refused = run_ehsim("run", *SMALL, "--scenario", clash, "--future", paths["more_abuse"], "--out", out,
                        check=False)
    assert refused.returncode == 2
    assert "clash.toml:2: themes.domestic_abuse.onset_multiplier_from_month.2025-06: the future" in refused.stderr
    assert not out.exists()
    # Entries of one schedule in other months clash too: one would undo the other from its month.
    later = tmp_path / "later.toml"
    later.write_text('kind = "future"\n[services.intensive_family_service]\n'
                     'capacity_from_month = { "2026-01" = 100 }\n')
    sooner = tmp_path / "sooner.toml"
    sooner.write_text('[services.intensive_family_service]\ncapacity_from_month = { "2025-09" = 300 }\n')
    refused = run_ehsim("run", *SMALL, "--scenario", sooner, "--future", later, "--out", out, check=False)
    assert refused.returncode == 2
    assert ("sooner.toml:2: services.intensive_family_service.capacity_from_month.2025-09: the future "
            f"{later} changes the schedule services.intensive_family_service.capacity_from_month too") in refused.stderr
    assert not out.exists()


def test_a_future_that_is_an_option_is_refused_at_its_kind_line(tmp_path):
    option = tmp_path / "not_a_future.toml"
    option.write_text('description = "Option: more places"\nkind = "option"\n'
                      '[services.intensive_family_service]\ncapacity_cases = 240\n')
    out = tmp_path / "refused.h5"
    refused = run_ehsim("run", *SMALL, "--future", option, "--out", out, check=False)
    assert refused.returncode == 2
    assert refused.stderr.startswith(f"{option}:2: kind: --future takes a change in demand")
    assert not out.exists()

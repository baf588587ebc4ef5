"""Sweeps: the design asked for, one file however it was made (one go, after a
kill and a rerun, in shards merged, on 1 or 2 threads), and clear errors."""
import os
import signal
import subprocess
import time

import h5py
import numpy as np
import pytest

from conftest import BINARY, SOURCE_DIR, run_ehsim

BASE = f"""extends = "{SOURCE_DIR / "configs" / "default.toml"}"
[simulation]
months = 12
burn_in_months = 12
[population]
families = 1500
"""

GRID = """design = "grid"
base = "base.toml"
replicates = 2
[[parameters]]
key = "services.intensive_family_service.capacity_cases"
values = [10, 20, 40]
[[parameters]]
key = "services.intensive_family_service.escalation_hazard_ratio"
values = [0.68, 0.9]
"""

MORRIS = """design = "morris"
base = "base.toml"
points = 3
levels = 4
replicates = 1
[[parameters]]
key = "services.intensive_family_service.escalation_hazard_ratio"
min = 0.6
max = 1.0
[[parameters]]
key = "front_door.waiting_escalation_hazard_ratio"
min = 1.0
max = 1.5
[[parameters]]
key = "themes.domestic_abuse.escalation_hazard_ratio"
min = 5.0
max = 9.0
"""


def write_sweep(folder, text):
    (folder / "base.toml").write_text(BASE)
    path = folder / "sweep.toml"
    path.write_text(text)
    return path


def datasets(path):
    """Every dataset's values, by name: what must not depend on how the file was made."""
    found = {}
    with h5py.File(path) as f:
        f.visititems(lambda name, item: found.__setitem__(name, item[()]) if isinstance(item, h5py.Dataset) else None)
    return found


def assert_same_results(a, b):
    first, second = datasets(a), datasets(b)
    assert first.keys() == second.keys()
    for name in first:
        if isinstance(first[name], np.ndarray):
            np.testing.assert_array_equal(first[name], second[name], err_msg=name)
        else:
            assert first[name] == second[name], name


def test_a_grid_sweep_visits_every_combination_with_its_replicates(tmp_path):
    sweep = write_sweep(tmp_path, GRID)
    out = tmp_path / "grid.h5"
    result = run_ehsim("sweep", sweep, "--out", out)
    assert "6 points x 2 replicates = 12 runs" in result.stdout
    with h5py.File(out) as f:
        assert f.attrs["format"] == "ehsim sweep 1" and f.attrs["design"] == "grid"
        points = f["design/points"][:]
        expected = [[c, h] for c in (10, 20, 40) for h in (0.68, 0.9)]
        np.testing.assert_array_equal(points, expected)
        measures = f["runs/measures"][:]
        assert measures.shape == (6, 2, len(f["axes/measure"]))
        np.testing.assert_allclose(f["runs/mean"][:], measures.mean(axis=1))
        assert (measures[:, :, 0] > 0).all()  # spend
    assert not (tmp_path / "grid.h5.parts").exists()  # the committed runs are cleared once assembled


def test_a_morris_sweep_moves_one_parameter_a_step_at_a_time_and_reports_mu_star(tmp_path):
    sweep = write_sweep(tmp_path, MORRIS)
    out = tmp_path / "morris.h5"
    run_ehsim("sweep", sweep, "--out", out)
    with h5py.File(out) as f:
        points = f["design/points"][:]
        assert points.shape == (3 * 4, 3)
        ranges = np.array([0.4, 0.5, 4.0])
        for t in range(3):
            steps = np.diff(points[4 * t: 4 * t + 4], axis=0) / ranges
            for step in steps:  # one parameter moves, by 4 / (2 x 3) of its range
                assert np.count_nonzero(np.abs(step) > 1e-12) == 1
                np.testing.assert_allclose(step[np.abs(step) > 1e-12], [2 / 3])
        assert f["sensitivity/morris/mu_star"].shape == (3, len(f["axes/measure"]))
        assert (f["sensitivity/morris/mu_star"][:] >= np.abs(f["sensitivity/morris/mu"][:]) - 1e-9).all()


def sweep_killed_part_way(tmp_path):
    """The grid sweep run whole into whole.h5, and again into resumed.h5 killed
    with SIGKILL once at least 3 of its 12 runs are committed: the sweep file,
    both outputs and the parts folder."""
    sweep = write_sweep(tmp_path, GRID)
    whole = tmp_path / "whole.h5"
    run_ehsim("sweep", sweep, "--out", whole, "--threads", 1)
    out = tmp_path / "resumed.h5"
    parts = tmp_path / "resumed.h5.parts"
    process = subprocess.Popen([str(BINARY), "sweep", str(sweep), "--out", str(out), "--threads", "1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline and (not parts.exists() or len(list(parts.glob("*.part"))) < 3):
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 3 <= len(list(parts.glob("run_*.part"))) < 12 and not out.exists()
    return sweep, whole, out, parts


def test_a_sweep_killed_part_way_and_run_again_gives_the_file_of_one_go(tmp_path):
    sweep, whole, out, parts = sweep_killed_part_way(tmp_path)
    done = len(list(parts.glob("*.part")))
    result = run_ehsim("sweep", sweep, "--out", out, "--threads", 2)
    assert f"{done} already done" in result.stdout or f"{done + 1} already done" in result.stdout
    assert_same_results(whole, out)


def flip_a_bit_in_the_middle(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x10
    path.write_bytes(bytes(data))


def cut_to_half(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def test_a_sweep_killed_part_way_with_damaged_parts_sets_them_aside_and_gives_the_file_of_one_go(tmp_path):
    sweep, whole, out, parts = sweep_killed_part_way(tmp_path)
    committed = sorted(parts.glob("run_*.part"))
    flipped, truncated = committed[0], committed[1]
    flip_a_bit_in_the_middle(flipped)
    cut_to_half(truncated)
    (parts / "x.part").mkdir()  # not ehsim's: left alone, and keeps the folder
    (parts / "x.part" / "notes.txt").write_text("mine\n")
    result = run_ehsim("sweep", sweep, "--out", out, "--threads", 2, check=False)
    assert result.returncode == 0, result.stderr
    for damaged in (flipped, truncated):
        lines = [line for line in result.stderr.splitlines() if damaged.name in line]
        assert any("damaged" in line and "set aside" in line for line in lines), (damaged.name, result.stderr)
    assert f"{len(committed) - 2} already done" in result.stdout
    assert_same_results(whole, out)
    assert sorted(p.name for p in parts.iterdir()) == ["x.part"]
    assert (parts / "x.part" / "notes.txt").read_text() == "mine\n"


def test_merging_parts_one_of_them_damaged_exits_2_naming_it_and_writes_nothing(tmp_path):
    sweep = write_sweep(tmp_path, GRID)
    parts = tmp_path / "parts"
    merged = tmp_path / "merged.h5"
    for shard in range(2):
        run_ehsim("sweep", sweep, "--shard", f"{shard}/2", "--parts", parts, "--out", merged)
    committed = sorted(parts.glob("run_*.part"))
    assert len(committed) == 12 and not merged.exists()
    damaged = committed[5]
    flip_a_bit_in_the_middle(damaged)
    before = {p.name: p.read_bytes() for p in parts.iterdir()}
    result = run_ehsim("merge", sweep, "--out", merged, "--parts", parts, check=False)
    assert result.returncode == 2, result.stderr
    assert damaged.name in result.stderr and "damaged" in result.stderr
    assert not merged.exists() and not list(tmp_path.glob("merged.h5*"))
    assert {p.name: p.read_bytes() for p in parts.iterdir()} == before  # a merge reads; it changes nothing


def test_a_sweep_given_a_parts_folder_holding_a_users_file_exits_2_before_any_run_and_leaves_it(tmp_path):
    sweep = write_sweep(tmp_path, GRID)
    folder = tmp_path / "writing"
    folder.mkdir()
    thesis = folder / "thesis.tex"
    thesis.write_text("\\chapter{Results}\n")
    stamp = thesis.stat().st_mtime_ns
    out = tmp_path / "grid.h5"
    result = run_ehsim("sweep", sweep, "--parts", folder, "--out", out, check=False)
    assert result.returncode == 2, result.stderr
    assert str(folder) in result.stderr and "thesis.tex" in result.stderr
    assert "ran " not in result.stdout and not out.exists()
    assert [p.name for p in folder.iterdir()] == ["thesis.tex"]
    assert thesis.read_text() == "\\chapter{Results}\n" and thesis.stat().st_mtime_ns == stamp


@pytest.mark.parametrize("given", [".", "./", "../sweeps"])
def test_a_sweep_given_its_own_folder_for_parts_exits_2_and_leaves_the_folder_as_it_was(tmp_path, given):
    folder = tmp_path / "sweeps"
    folder.mkdir()
    write_sweep(folder, GRID)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = subprocess.run([str(BINARY.resolve()), "sweep", "sweep.toml", "--parts", given, "--out", "grid.h5"],
                            capture_output=True, text=True, cwd=folder)
    assert result.returncode == 2, result.stderr
    # Refused for the folder's files, or for --out inside it (--parts .): either way before any run.
    assert ("--parts" in result.stderr or "inside the parts folder" in result.stderr) and "ran " not in result.stdout
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sweeps"]


def test_shards_merged_and_two_threads_give_the_file_of_one_process_on_one_thread(tmp_path):
    sweep = write_sweep(tmp_path, GRID)
    one = tmp_path / "one.h5"
    run_ehsim("sweep", sweep, "--out", one, "--threads", 1)
    two = tmp_path / "two.h5"
    run_ehsim("sweep", sweep, "--out", two, "--threads", 2)
    assert_same_results(one, two)
    merged = tmp_path / "merged.h5"
    for shard in range(3):
        result = run_ehsim("sweep", sweep, "--shard", f"{shard}/3", "--parts", tmp_path / f"parts{shard}",
                           "--out", merged)
        assert "ehsim merge" in result.stdout and not merged.exists()
    missing = run_ehsim("merge", sweep, "--out", merged, "--parts", tmp_path / "parts0", check=False)
    assert missing.returncode == 2 and "runs are missing" in missing.stderr and not merged.exists()
    run_ehsim("merge", sweep, "--out", merged, *[arg for s in range(3) for arg in ("--parts", tmp_path / f"parts{s}")])
    assert_same_results(one, merged)


def test_more_shards_than_points_do_nothing_for_the_extra_ones_and_do_not_hang(tmp_path):
    sweep = write_sweep(tmp_path, GRID)
    result = run_ehsim("sweep", sweep, "--shard", "9/10", "--parts", tmp_path / "p", "--out", tmp_path / "x.h5")
    assert "shard 9/10: 0 runs" in result.stdout


@pytest.mark.parametrize("text, message", [
    ('design = "random"\n[[parameters]]\nkey = "population.growth_per_year"\nmin = 0.0\nmax = 0.01\n',
     "sweep.toml:1: design: 'random' is not a design"),
    ('design = "latin_hypercube"\npoints = 4\n[[parameters]]\nkey = "services.intensive_family_service.capacity"\n'
     'min = 1.0\nmax = 2.0\n',
     "parameters[0].key: 'services.intensive_family_service.capacity' is not a numeric key of the base "
     "configuration (did you mean 'services.intensive_family_service.capacity_cases'?)"),
    ('design = "grid"\n[[parameters]]\nkey = "population.growth_per_year"\n',
     "parameters[0].values: a grid design needs the values each key takes"),
    ('design = "grid"\n[[parameters]]\nkey = "services.intensive_family_service.escalation_hazard_ratio"\n'
     'values = [0.5, -1.0]\n',
     "escalation_hazard_ratio: -1.0 is outside the allowed range"),
])
def test_a_bad_sweep_exits_2_naming_the_file_line_and_key_and_writes_nothing(tmp_path, text, message):
    sweep = write_sweep(tmp_path, text)
    out = tmp_path / "bad.h5"
    result = run_ehsim("sweep", sweep, "--out", out, check=False)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert not out.exists() and not (tmp_path / "bad.h5.parts").exists()


def test_parts_of_another_sweep_are_refused(tmp_path):
    sweep = write_sweep(tmp_path, GRID)
    parts = tmp_path / "shared"
    run_ehsim("sweep", sweep, "--shard", "0/2", "--parts", parts, "--out", tmp_path / "a.h5")
    sweep.write_text(GRID.replace("replicates = 2", "replicates = 3"))
    result = run_ehsim("sweep", sweep, "--parts", parts, "--out", tmp_path / "b.h5", check=False)
    assert result.returncode == 2 and "a part of a different sweep" in result.stderr


def test_under_mpirun_two_or_more_ranks_than_points_give_the_file_of_one_process(tmp_path):
    sweep = write_sweep(tmp_path, GRID)
    one = tmp_path / "one.h5"
    run_ehsim("sweep", sweep, "--out", one)
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")
    for ranks in (2, 8):  # 8 ranks for 6 points: two have nothing to do, and must not hang
        out = tmp_path / f"mpi{ranks}.h5"
        result = subprocess.run(["mpirun", "--oversubscribe", "-n", str(ranks), str(BINARY), "sweep", str(sweep),
                                 "--out", str(out), "--threads", "1"],
                                capture_output=True, text=True, env=env, timeout=120)
        assert result.returncode == 0, result.stderr
        assert f"{ranks} MPI ranks share them" in result.stdout
        assert_same_results(one, out)


def test_a_sweep_over_a_base_with_parameter_uncertainty_is_refused(tmp_path):
    sweep = tmp_path / "sweep.toml"
    sweep.write_text(f'base = "{SOURCE_DIR / "configs" / "default_with_uncertainty.toml"}"\ndesign = "grid"\n'
                     '[[parameters]]\nkey = "population.growth_per_year"\nvalues = [0.0, 0.01]\n')
    result = run_ehsim("sweep", sweep, "--out", tmp_path / "x.h5", check=False)
    assert result.returncode == 2 and "[[uncertainty]]" in result.stderr


OPTION = """description = "More intensive family support from the start"
[services.intensive_family_service]
capacity_cases = 60
"""

WITH_OPTIONS = """design = "grid"
base = "base.toml"
replicates = 2
options = ["more.toml", "waiting.toml"]
[[parameters]]
key = "services.intensive_family_service.capacity_cases"
values = [10, 30]
[[parameters]]
key = "front_door.waiting_escalation_hazard_ratio"
scenario = "waiting"
values = [1.0, 2.0]
"""


def write_sweep_with_options(folder):
    (folder / "more.toml").write_text(OPTION)
    (folder / "waiting.toml").write_text('description = "Waiting lists that raise escalation"\n')
    return write_sweep(folder, WITH_OPTIONS)


def test_a_sweep_with_options_records_each_options_paired_differences_at_every_point(tmp_path):
    sweep = write_sweep_with_options(tmp_path)
    out = tmp_path / "options.h5"
    result = run_ehsim("sweep", sweep, "--out", out)
    assert "of the baseline and 2 options" in result.stdout
    with h5py.File(out) as f:
        assert [s.decode() for s in f["axes/scenario"][()]] == ["baseline", "more", "waiting"]
        baseline = f["runs/measures"][()]
        measure_count = len(f["axes/measure"])
        assert baseline.shape == (4, 2, measure_count)
        for option in ("more", "waiting"):
            measures = f[f"options/{option}/measures"][()]
            differences = f[f"options/{option}/differences"][()]
            assert differences.shape == (4, 2, len(f["axes/comparison_measure"]))
            # The first columns are option minus baseline, run by run (same point, same replicate).
            np.testing.assert_array_equal(differences[:, :, :measure_count], measures - baseline)
            np.testing.assert_allclose(f[f"options/{option}/differences_mean"][()], differences.mean(axis=1))
        more = f["options/more/measures"][()]
        waiting = f["options/waiting/measures"][()]
        # Points 0 and 1 differ only in the waiting ratio, which is swept in "waiting" alone: the
        # baseline and "more" are the same at both, "waiting" is not.
        np.testing.assert_array_equal(baseline[0], baseline[1])
        np.testing.assert_array_equal(more[0], more[1])
        assert not np.array_equal(waiting[0], waiting[1])


def test_a_sweep_reads_as_one_data_frame_of_the_design_and_every_runs_measures_and_exports_as_csv(tmp_path):
    import sys
    sys.path.insert(0, str(SOURCE_DIR))
    from analysis import load
    sweep = write_sweep_with_options(tmp_path)
    out = tmp_path / "options.h5"
    run_ehsim("sweep", sweep, "--out", out)
    frame = load.sweep(out)
    assert list(frame.index.names) == ["point", "replicate"] and len(frame) == 8
    assert list(frame.columns[:2]) == ["services.intensive_family_service.capacity_cases",
                                       "waiting:front_door.waiting_escalation_hazard_ratio"]
    with h5py.File(out) as f:
        design = f["design/points"][()]
        spend = f["runs/measures"][()][:, :, 0]
        saving = f["options/more/differences"][()][:, :, 0]
    np.testing.assert_array_equal(frame["services.intensive_family_service.capacity_cases"].to_numpy(),
                                  np.repeat(design[:, 0], 2))
    np.testing.assert_allclose(frame["spend_nominal"].to_numpy(), spend.reshape(-1) / 100)  # pounds
    np.testing.assert_allclose(frame["more_vs_baseline.spend_nominal"].to_numpy(), saving.reshape(-1) / 100)
    csv = tmp_path / "runs.csv"
    result = subprocess.run(["/usr/bin/python3", "-m", "analysis.tables", str(out), "--csv", str(csv)],
                            cwd=SOURCE_DIR, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "more: spend change" in result.stdout
    assert csv.read_text().splitlines()[0].startswith("point,replicate,services.intensive_family_service")
    assert len(csv.read_text().splitlines()) == 9
    # Run again: the CSV it wrote is its own to replace.
    again = subprocess.run(["/usr/bin/python3", "-m", "analysis.tables", str(out), "--csv", str(csv)],
                           cwd=SOURCE_DIR, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr


def test_a_swept_key_for_an_option_the_sweep_lacks_exits_2_naming_file_line_and_key(tmp_path):
    sweep = write_sweep_with_options(tmp_path)
    sweep.write_text(WITH_OPTIONS.replace('scenario = "waiting"', 'scenario = "waitng"'))
    result = run_ehsim("sweep", sweep, "--out", tmp_path / "x.h5", check=False)
    assert result.returncode == 2
    assert f"{sweep}:10: parameters[1].scenario: 'waitng' is not one of the sweep's options (more, waiting)" \
        in result.stderr
    assert not (tmp_path / "x.h5").exists()


def test_two_sweeps_sharing_a_parts_folder_get_a_clear_error_not_a_crash(tmp_path):
    sweep = write_sweep(tmp_path, GRID)
    other = tmp_path / "other.toml"
    other.write_text(GRID.replace("values = [10, 20, 40]", "values = [15, 25, 45]"))
    parts = tmp_path / "shared"
    run_ehsim("sweep", sweep, "--shard", "0/2", "--parts", parts, "--out", tmp_path / "a.h5")
    result = run_ehsim("sweep", other, "--shard", "0/2", "--parts", parts, "--out", tmp_path / "b.h5", check=False)
    assert result.returncode == 2, result.stderr
    assert "a part of a different sweep" in result.stderr and "give another folder with --parts" in result.stderr
    assert "internal error" not in result.stderr

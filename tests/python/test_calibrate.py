"""Calibration from the command line: killed part-way and run again, it ends
with the files of one go; the trace holds what docs/calibration.md says."""
import signal
import subprocess
import time

import h5py
import numpy as np

from conftest import BINARY, SOURCE_DIR, run_ehsim

BASE = f"""extends = "{SOURCE_DIR / "configs" / "default.toml"}"
[simulation]
months = 36
burn_in_months = 12
[population]
families = 4000
"""

TARGETS = """measure,period,value,uncertainty,source
referrals,FY2025-26,320,,a test
stock_families.complex,steady,120,10,a test
early_help_open_cases,steady,150,,a test
children_on_plans,FY2026-27,30,,a test
"""

FIT = """algorithm = "sbplx"
starts = 2
evaluations = 40
replicates = 2
report_replicates = 4
[[parameters]]
key = "levels[1].up_hazard_per_month"
min = 0.01
max = 0.04
[[parameters]]
key = "identification.probability_by_level[2]"
min = 0.1
max = 0.6
"""


def inputs(folder):
    for name, text in (("base.toml", BASE), ("targets.csv", TARGETS), ("fit.toml", FIT)):
        (folder / name).write_text(text)
    return ["calibrate", folder / "base.toml", "--targets", folder / "targets.csv", "--fit", folder / "fit.toml"]


def body(path):
    """An overlay without its header comments (the command line differs)."""
    return [line for line in path.read_text().splitlines() if not line.startswith("# ")]


def kill_when(args, out, journal, lines):
    """Run the calibration into `out` and SIGKILL it once its journal has `lines` lines."""
    process = subprocess.Popen([str(BINARY), *map(str, args), "--out", str(out), "--threads", "1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline and (not journal.exists() or journal.read_text().count("\n") < lines):
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()


def intact_line(line):
    """Whether a journal line's last field is the FNV-1a hash of the rest, as ehsim writes it."""
    text, _, digest = line.rstrip("\n").rpartition(" ")
    value = 0xCBF29CE484222325
    for byte in text.encode():
        value = ((value ^ byte) * 0x100000001B3) % 2**64
    return f"{value:016x}" == digest


def test_a_calibration_killed_part_way_and_run_again_gives_the_result_of_one_go(tmp_path):
    args = inputs(tmp_path)
    run_ehsim(*args, "--out", tmp_path / "whole.toml", "--threads", 1)
    out = tmp_path / "resumed.toml"
    journal = tmp_path / "resumed.toml.journal"
    kill_when(args, out, journal, 15)
    assert journal.exists() and not out.exists()
    # A kill can cut the last line short, and a line can be damaged: each is
    # evaluated again, and the next line still starts on its own.
    lines = journal.read_text().splitlines(keepends=True)
    damaged = lines[2].replace(" ", "  ", 1)  # its hash no longer matches
    text = "".join([lines[0], lines[1], damaged] + lines[3:-1]) + lines[-1][: len(lines[-1]) // 2]
    journal.write_text(text)
    intact = text.count("\n") - 2  # complete lines, less the header and the damaged one
    # Killed again once it has added some: the line cut short was dropped,
    # so every line it added stands whole on its own.
    kill_when(args, out, journal, text.count("\n") + 6)
    added = journal.read_text().splitlines(keepends=True)[text.count("\n"):]
    assert len(added) >= 6 and all(intact_line(line) for line in added if line.endswith("\n"))
    intact += sum(1 for line in added if line.endswith("\n"))
    result = run_ehsim(*args, "--out", out, "--threads", 2)
    assert f"resuming: {intact} evaluations" in result.stderr
    assert not journal.exists()
    assert body(out) == body(tmp_path / "whole.toml")
    with h5py.File(tmp_path / "whole.trace.h5") as a, h5py.File(tmp_path / "resumed.trace.h5") as b:
        for name in ("evaluations/values", "evaluations/objective", "evaluations/mean", "fit/best", "fit/mean"):
            np.testing.assert_array_equal(a[name][:], b[name][:])


def test_the_trace_records_every_evaluation_inside_the_bounds_and_the_fit(tmp_path):
    args = inputs(tmp_path)
    result = run_ehsim(*args, "--out", tmp_path / "calibrated.toml", "--holdout-from", "2026-04")
    with h5py.File(tmp_path / "calibrated.trace.h5") as f:
        assert f.attrs["format"] == "ehsim calibration 1"
        values = f["evaluations/values"][:]
        bounds = f["axes/bounds"][:]
        assert len(values) == f["starts/evaluations"][:].sum()
        assert (values >= bounds[:, 0]).all() and (values <= bounds[:, 1]).all()
        best = f["fit/best"][:]
        objective = f["evaluations/objective"][:]
        assert np.isclose(objective.min(), f["starts/best_objective"][:].min())
        assert any((row == best).all() for row in values)
        # Held out: the targets whose period ends from 2026-04 on.
        held = f["fit/held_out"][:]
        labels = [label.decode() for label in f["axes/target"][:]]
        assert [bool(h) for h in held] == [False, False, False, True], labels
        inside = f["fit/inside"][:]
        low, high, observed = f["fit/low"][:], f["fit/high"][:], f["fit/observed"][:]
        np.testing.assert_array_equal(inside.astype(bool), (observed >= low) & (observed <= high))
    assert "Hold-out: " in result.stdout

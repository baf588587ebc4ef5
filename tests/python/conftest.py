"""Shared fixtures: the ehsim binary under test and small result files."""
import os
import pathlib
import subprocess

import pytest

SOURCE_DIR = pathlib.Path(os.environ.get("EHSIM_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
BINARY = pathlib.Path(os.environ.get("EHSIM_BINARY", SOURCE_DIR / "build" / "ehsim"))


def run_ehsim(*args, check=True):
    return subprocess.run([str(BINARY), *map(str, args)], capture_output=True, text=True, check=check)


@pytest.fixture(scope="session")
def small_results(tmp_path_factory):
    """A small run of the default authority with trajectories: 2,000 families, 24 months, 2 replicates."""
    path = tmp_path_factory.mktemp("results") / "small.h5"
    run_ehsim("run", "--families", 2000, "--months", 24, "--replicates", 2, "--seed", 5, "--trajectories",
              "--out", path)
    return path

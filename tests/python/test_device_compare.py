"""bench/device/compare: the check that results do not depend on the number of threads."""
import shutil
import subprocess

import h5py
import numpy as np

from conftest import SOURCE_DIR, run_ehsim

COMPARE = SOURCE_DIR / "bench" / "device" / "compare"


def compare(*paths):
    return subprocess.run([str(COMPARE), *map(str, paths)], capture_output=True, text=True)


def test_one_and_two_threads_compare_the_same(tmp_path):
    one, two = tmp_path / "one.h5", tmp_path / "two.h5"
    for threads, path in ((1, one), (2, two)):
        run_ehsim("run", "--families", 1500, "--months", 12, "--threads", threads, "--out", path)
    result = compare(one, two)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 differ, 0 in only one file" in result.stdout


def test_a_changed_value_or_a_missing_dataset_is_reported(small_results, tmp_path):
    changed, fewer = tmp_path / "changed.h5", tmp_path / "fewer.h5"
    shutil.copy(small_results, changed)
    shutil.copy(small_results, fewer)
    with h5py.File(changed, "r+") as f:
        stock = f["baseline/replicate_0000/monthly/stock_families"]
        values = stock[()]
        values.flat[0] += 1
        stock[...] = values
    with h5py.File(fewer, "r+") as f:
        del f["baseline/replicate_0000/monthly/stock_families"]
    result = compare(small_results, changed)
    assert result.returncode == 1
    assert "1 differ, 0 in only one file" in result.stdout
    assert "baseline/replicate_0000/monthly/stock_families" in result.stdout
    result = compare(small_results, fewer)
    assert result.returncode == 1
    assert "0 differ, 1 in only one file" in result.stdout


def test_numbers_compare_bit_for_bit(tmp_path):
    a, b = tmp_path / "a.h5", tmp_path / "b.h5"
    for path, value in ((a, np.nan), (b, np.nan)):
        with h5py.File(path, "w") as f:
            f["x"] = np.array([1.0, value])
    assert compare(a, b).returncode == 0
    with h5py.File(b, "r+") as f:
        f["x"][1] = 2.0
    assert compare(a, b).returncode == 1
    with h5py.File(a, "r+") as f:
        f["x"][...] = [0.0, 2.0]
    with h5py.File(b, "r+") as f:
        f["x"][...] = [-0.0, 2.0]
    assert compare(a, b).returncode == 1


def test_a_missing_file_or_no_files_exit_2(tmp_path):
    result = compare(tmp_path / "absent.h5", tmp_path / "absent.h5")
    assert result.returncode == 2
    assert "absent.h5" in result.stderr
    assert compare().returncode == 2

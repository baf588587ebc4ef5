"""README.md's walk-through shows what ehsim prints: step 1's block is checked
against a run of the same command, so that its figures cannot go stale."""
import os
import re
import subprocess
from pathlib import Path

BINARY = Path(os.environ.get("EHSIM_BINARY", "build/ehsim"))
SOURCE = Path(os.environ.get("EHSIM_SOURCE_DIR", "."))


def readme_block(heading):
    """The first fenced block after the paragraph that starts with `heading`."""
    text = (SOURCE / "README.md").read_text()
    start = text.index(heading)
    opening = text.index("```\n", start) + 4
    return text[opening:text.index("```\n", opening)].splitlines()


def masked(line):
    """The line without what depends on the machine: threads and timing."""
    line = re.sub(r"\d+ threads?$", "N threads", line)
    return re.sub(r"in [\d.]+ s \([\d.]+ million a second\)", "in T s (R million a second)", line)


def test_readme_step_1_shows_what_the_default_run_prints(tmp_path):
    shown = [masked(line) for line in readme_block("**1. Run the default authority.**")]
    printed = subprocess.run([str(BINARY), "run", "--out", str(tmp_path / "results.h5")], check=True,
                             capture_output=True, text=True).stdout.splitlines()
    printed = [masked(line) for line in printed]
    # Every line shown is printed, in order (the README leaves some sections out).
    at = 0
    for line in shown:
        assert line in printed[at:], (
            f"README.md step 1 shows a line the run does not print:\n  {line}\n"
            f"the run prints:\n" + "\n".join(printed))
        at = printed.index(line, at) + 1
    assert len(shown) >= 30

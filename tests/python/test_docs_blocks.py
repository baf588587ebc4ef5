"""The docs harness itself (tests/python/docs_blocks.py): how markers read, how a
block is compared with what was printed, and what --update writes."""
import pytest

import docs_blocks as docs

PRINTED = """Default authority
  simulated 42,359,083 family-months in 9.99 s (4.1 million a second), 16 threads

  Families by level
  1 Universal   28,509

  Themes
  Domestic abuse   6.2%

  Spend by level
  total   £56.4m""".splitlines()


def test_a_marker_says_how_its_block_is_made_and_refuses_what_it_does_not_know():
    marker = docs.parse_marker("output of `build/ehsim run --out x;y.h5`; sections; exits 2")
    assert (marker.output_of, marker.sections, marker.exit_status) == ("build/ehsim run --out x;y.h5", True, 2)
    marker = docs.parse_marker("run; small `--families 20000 --trajectories`; small `points = 1, months = 6`")
    assert marker.small_flags == [("--families", "20000"), ("--trajectories", None)]
    assert marker.small_keys == [("points", "1"), ("months", "6")]
    with pytest.raises(docs.MarkerError, match="unknown clause 'sorted'"):
        docs.parse_marker("run; sorted")
    with pytest.raises(docs.MarkerError, match="exactly one of"):
        docs.parse_marker("run; save a.toml")


def test_sections_shown_must_each_be_a_whole_printed_section_in_order():
    sections = docs.Marker(output_of="x", sections=True)
    assert docs.compare(PRINTED[:5] + [""] + PRINTED[9:], PRINTED, sections)[0]  # the themes left out
    assert not docs.compare(PRINTED[:4] + [""] + PRINTED[9:], PRINTED, sections)[0]  # a line of a section left out
    assert not docs.compare(PRINTED[9:] + [""] + PRINTED[:2], PRINTED, sections)[0]  # out of order


def test_timings_and_thread_counts_are_masked_and_update_keeps_the_pages_own():
    shown = ["Default authority", "  simulated 42,359,083 family-months in 2.19 s (19.3 million a second), 2 threads",
             "", "  Families by level", "  1 Universal   28,000"]
    same, wanted, notes = docs.compare(shown, PRINTED, docs.Marker(output_of="x", sections=True))
    assert not same and not notes
    assert wanted == shown[:4] + ["  1 Universal   28,509"]


def test_a_renamed_section_is_rewritten_from_the_section_most_like_it_and_a_vanished_one_is_named():
    shown = ["  Families at each level", "  1 Universal   28,509", "", "  Waiting lists", "  none"]
    same, wanted, notes = docs.compare(shown, PRINTED, docs.Marker(output_of="x", sections=True))
    assert wanted == ["  Families by level", "  1 Universal   28,509"]
    assert notes == ["the section 'Waiting lists' is no longer printed: left out"]


def test_shape_ignores_every_figure_and_one_row_per_thread_count_but_not_a_new_line():
    shown = ["threads  seconds", "      1    10.819", "      2     5.958", "family state: 34 bytes"]
    shape = docs.Marker(run=True, shape=True)
    assert docs.compare(shown, ["threads  seconds", "  1  0.2", "  16  0.1", "family state: 34 bytes"], shape)[0]
    assert not docs.compare(shown, shown[:3] + ["(single-thread rate 4.3)"] + shown[3:], shape)[0]


def test_an_unmarked_block_and_an_unmarked_command_are_reported_but_not_a_placeholder_or_a_name():
    page = docs.read_page("docs/example.md", "Run `build/ehsim run --months 3` or `ehsim run CONFIG --months N`;\n"
                                             "`ehsim sweep` writes format `ehsim sweep 1`.\n\n```\nprinted\n```\n")
    assert docs.unmarked(page) == [
        ("docs/example.md:4", "a block without a <!-- docs: ... --> marker (say `not run` if it is neither a command "
                              "nor output)"),
        ("docs/example.md:1", "`build/ehsim run --months 3` is not run: mark the paragraph <!-- docs: run -->")]


def test_a_python_block_that_reads_a_dataset_the_file_lacks_fails_naming_its_line(tmp_path):
    page = docs.read_page("docs/example.md", """Read it:

<!-- docs: run; after `build/ehsim run --families 300 --months 2 --replicates 1` -->
```python
import h5py
with h5py.File("out/results.h5") as f:
    f["baseline/replicate_0000/monthly/stock_of_families"][:]
```
""")
    [block] = page.blocks
    outcome = docs.PageRun(page, tmp_path).run().outcomes[id(block)]
    assert outcome.status == "failed"
    assert outcome.message.startswith("docs/example.md:4: the Python exited 1") and "KeyError" in outcome.message


def test_update_rewrites_the_stale_output_block_from_the_saved_file_and_nothing_else(tmp_path):
    text = """Save as `my.toml`:

<!-- docs: save my.toml -->
```toml
extends = "configs/default.toml"
[population]
families = 41000
```

With `families = -3`, `build/ehsim validate my.toml` says:

<!-- docs: output of `build/ehsim validate my.toml`; with `families = -3` in my.toml; exits 2 -->
```
my.toml:3: population.families: -3 is too few
ehsim: 1 error in the configuration; nothing was written.
```
"""
    page = docs.read_page("docs/example.md", text)
    outcomes = docs.PageRun(page, tmp_path).run().outcomes
    assert [outcomes[id(block)].status for block in page.blocks] == ["ok", "stale"]
    assert docs.rewritten(page, outcomes) == text.replace(
        "-3 is too few", "-3 is outside the allowed range [1, 100000000]")
    assert (tmp_path / "my.toml").read_text().endswith("families = 41000\n")  # the edit was for that block only

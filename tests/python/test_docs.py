"""README.md and docs/*.md show only what ehsim does now: every marked command runs as
shown (or as far as a test can run it), every output block is what its command prints,
the generated references are current, and nothing command-like is left unmarked.
tests/python/docs_blocks.py says how blocks are marked; `scripts/docs --update` rewrites
stale output."""
import pytest

import docs_blocks as docs

PAGES = {name: docs.read_page(name) for name in docs.pages()}
BLOCKS = [(name, index) for name, page in PAGES.items() for index in range(len(page.blocks))]


@pytest.fixture(scope="session")
def page_run(tmp_path_factory):
    """Each page's blocks, run once in a folder of their own, in order."""
    runs = {}

    def run(name):
        if name not in runs:
            runs[name] = docs.PageRun(PAGES[name], tmp_path_factory.mktemp("docs")).run()
        return runs[name]
    return run


@pytest.mark.parametrize("name, index", BLOCKS, ids=[PAGES[name].blocks[index].where for name, index in BLOCKS])
def test_a_marked_block_shows_what_its_commands_do_now(page_run, name, index):
    block = PAGES[name].blocks[index]
    outcome = page_run(name).outcomes[id(block)]
    if outcome.status == "skipped":
        pytest.skip(outcome.message)
    if outcome.status != "ok":
        pytest.fail(outcome.message, pytrace=False)


@pytest.mark.parametrize("name, begin, end, command", docs.GENERATED, ids=[g[0] for g in docs.GENERATED])
def test_a_generated_reference_is_what_ehsim_prints_now(name, begin, end, command):
    message = docs.generated(name, begin, end, command)
    if message:
        pytest.fail(message, pytrace=False)


def test_every_block_and_inline_command_of_the_docs_is_marked():
    problems = [f"{where}: {what}" for page in PAGES.values() for where, what in docs.unmarked(page)]
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


# Options the docs name that are not ehsim's.
OTHER_PROGRAMS_OPTIONS = {"--dynamics-only": "ehsim_bench", "--allow-run-as-root": "mpirun"}


def test_every_ehsim_command_and_option_the_docs_name_exists():
    """Inline `ehsim SUBCOMMAND ...` in prose, placeholders and all (`ehsim merge SWEEP.toml --out FILE`),
    and options named alone (`--trajectories`)."""
    subcommands = docs.subcommands()
    assert "run" in subcommands and "calibrate" in subcommands
    every_option = set().union(*(docs.help_flags(name) or set() for name in subcommands))
    problems = []
    for page in PAGES.values():
        for block in page.blocks + page.paragraphs:
            if block.fence is not None:
                continue
            for span in docs.inline_spans(block.lines):
                words = span.split()
                if words[0] in ("ehsim", "build/ehsim") and len(words) >= 2:
                    try:
                        docs.check_flags(span)
                    except docs.Failure as failure:
                        problems.append(f"{block.where}: {failure}")
                elif words[0].startswith("--") and words[0] not in every_option | set(OTHER_PROGRAMS_OPTIONS):
                    problems.append(f"{block.where}: `{span}`: no ehsim subcommand has {words[0]}")
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)

"""Every command and printed output that README.md and docs/*.md show is run here,
so that the docs cannot go stale.

    scripts/docs                  check every page: exit 1 naming each stale block
                                  (tests/python/test_docs.py runs the same check)
    scripts/docs --update         rewrite stale output blocks from fresh runs, and the generated
                                  references (docs/configuration.md, docs/output.md's datasets,
                                  docs/calibration.md's reference)
    scripts/docs README.md ...    only these pages
    scripts/docs --times          and the seconds (wall, CPU) each block took

(scripts/docs builds first, then runs `/usr/bin/python3 tests/python/docs_blocks.py`;
EHSIM_BINARY and EHSIM_SOURCE_DIR choose the binary and the tree, as for the tests.)

MARKERS. A fenced block, or a paragraph with inline commands, is marked by an HTML comment
on the line before it (pages render without it). Clauses are separated by `;`; commands
are in backticks. A marker is one of:

    output of `CMD`   the block is what CMD prints (standard output, then standard error)
    save FILE         the block is a file the reader saves: written before the page runs
    run               run the block as shown: lines of commands, a `$ ` transcript (each
                      command's output, when shown, compared), Python, a Slurm job script
                      (every task of its --array); or the paragraph's inline commands
    synopsis          a command-line synopsis: each `ehsim SUBCOMMAND` entry names exactly
                      the options its --help lists, and every subcommand has an entry
    not run: WHY      nothing to run (formulas, a description of the file)

with any of:

    sections          the block is some whole sections (blank-line separated) of the output,
                      in order (README step 1 leaves some out); otherwise the whole output
    exits 2           the exit status `output of` expects (otherwise 0)
    stdout            compare standard output only
    with `families = -3` in my_authority.toml   that line of the file changed, for this block only
    after `CMD`       run CMD first (to make a results file, say); it must succeed
    then `CMD`        after `save`: a command that uses the saved file; it must succeed
    small `--families 20000 --repeats 1`   options set on each ehsim and ehsim_bench command
                      (added where absent, to a subcommand only if its --help lists them),
                      for commands that would take long; a block of output then needs `shape`
    small `points = 1, months = 6`   top-level keys set in each sweep file (or calibration
                      fit file, --fit) the block's commands run (it stays small for the
                      rest of the page)
    shape             figures are measurements (timings): compare only the shape, every
                      number masked and repeated lines (one per thread count) as one
    mask `REGEX`      mask more than the standard masks

Examples: `<!-- docs: output of `build/ehsim run`; sections -->`, `<!-- docs: run; shape;
small `--families 20000 --months 12 --repeats 1` -->`.

HOW COMMANDS RUN. Each page runs in a temporary folder laid out as the repository root, the
working folder the docs assume: copies of configs/, scenarios/ and sweeps/, links to
analysis/ and to the build folder (as build/), and `ehsim` and `python3` (the Python running
this) first on PATH. README.md starts as a fresh clone (no out/); the other pages start
after README's walk-through (an empty out/). Saved files are written first; blocks then run
top to bottom sharing the folder, as a reader following the page would. A path under /tmp/
is taken inside the folder (and shown as /tmp/ again). Masked everywhere: seconds, rates
("million a second", "runs a second"), thread counts, ISO dates, temporaries' process ids,
git revisions. The command of an `output of` must be shown on the page too.

Some commands cannot run in a test; they are checked as far as they can be: scripts/ and
tests/fuzz/run exist and are executable (they install, build, or fuzz for minutes); `ctest`
lists its tests (-N) rather than running them; `build/tests/ehsim_tests TAGS` must select at
least one test; `sbatch ... --wrap 'CMD'` runs CMD; mpirun may oversubscribe and run as root.
An inline command with a placeholder (CONFIG, SWEEP.toml, FILE, T, `[...]`) that `small`
does not fill is not run; its subcommand and options are checked against --help.

Every fenced block of the pages needs a marker, and so does every paragraph with a runnable
inline command (`build/ehsim ...`, `python3 -m ...`, `scripts/...`) that no marker runs:
a new block cannot go unchecked.

--UPDATE rewrites output blocks only (whole, or each section shown from the section it now
is; a line whose masked text is unchanged keeps the page's figures) and leaves every other
line of the page alone. It cannot measure or guess: a `shape` block that changed shape, a
synopsis, a command that fails are reported, to be edited by hand.
"""
from __future__ import annotations

import argparse
import dataclasses
import difflib
import functools
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOURCE = Path(os.environ.get("EHSIM_SOURCE_DIR", Path(__file__).resolve().parents[2])).resolve()
BINARY = Path(os.environ.get("EHSIM_BINARY", SOURCE / "build" / "ehsim")).resolve()

# docs/configuration.md is generated whole, so it carries no markers: it is one of the
# generated references below.
GENERATED = [
    # page, the line after which the generated text starts and the line it ends before
    # (None: the whole page), the command that prints it
    ("docs/configuration.md", None, None, "build/ehsim schema --markdown"),
    ("docs/output.md", "<!-- datasets:begin -->", "<!-- datasets:end -->", "build/ehsim schema --output-datasets"),
    ("docs/calibration.md", "<!-- calibration:begin -->", "<!-- calibration:end -->",
     "build/ehsim schema --calibration"),
    ("docs/validation.md", "<!-- presets:begin -->", "<!-- presets:end -->",
     "build/ehsim backcast --presets configs/presets.toml --markdown"),
]

MARKER = re.compile(r"<!-- docs: (.*) -->")
COMMAND_TIMEOUT_S = 600

MASKS = [  # what differs between runs or machines: (pattern, replacement)
    (re.compile(r"\b\d+(?:\.\d+)? (million a second|runs a second|runs/s)"), r"R \1"),
    (re.compile(r"\b\d+(?:\.\d+)? s\b"), "T s"),
    (re.compile(r"\b\d+ threads?\b"), "N threads"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?"), "DATE"),
    (re.compile(r"\.partial-\d+"), ".partial-PID"),
    (re.compile(r"\(git [0-9a-f]{7,}(?:-dirty)?\)"), "(git REVISION)"),
]
NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")
PLACEHOLDER = re.compile(r"^(?:[A-Z][A-Z0-9_]*(?:\.toml)?|\.\.\.|\[.*|<.*)$")


def pages():
    """The pages checked: README.md and docs/*.md but the generated reference."""
    names = ["README.md"] + sorted(f"docs/{p.name}" for p in (SOURCE / "docs").glob("*.md"))
    return [name for name in names if name not in {page for page, begin, _, _ in GENERATED if begin is None}]


# ---------------------------------------------------------------------------------------------
# Reading pages: markers, the blocks they mark, and what is left unmarked


@dataclasses.dataclass
class Marker:
    output_of: str | None = None
    sections: bool = False
    save: str | None = None
    run: bool = False
    not_run: str | None = None
    synopsis: bool = False
    shape: bool = False
    stdout_only: bool = False
    exit_status: int = 0
    after: list = dataclasses.field(default_factory=list)
    then: list = dataclasses.field(default_factory=list)  # after a save: commands that use the file
    edits: list = dataclasses.field(default_factory=list)  # (line, file) for `with`
    small_flags: list = dataclasses.field(default_factory=list)  # (flag, value or None)
    small_keys: list = dataclasses.field(default_factory=list)  # (key, value)
    masks: list = dataclasses.field(default_factory=list)


class MarkerError(Exception):
    pass


def parse_marker(text):
    marker = Marker()
    for clause in split_clauses(text):
        quoted = re.findall(r"`([^`]*)`", clause)
        word = clause.split()[0] if clause.split() else ""
        if clause.startswith("output of ") and len(quoted) == 1:
            marker.output_of = quoted[0]
        elif clause == "sections":
            marker.sections = True
        elif word == "save" and len(clause.split()) == 2:
            marker.save = clause.split()[1]
        elif clause == "run":
            marker.run = True
        elif clause == "not run" or clause.startswith("not run:"):
            marker.not_run = clause[len("not run:"):].strip() or "nothing to run"
        elif clause == "synopsis":
            marker.synopsis = True
        elif clause == "shape":
            marker.shape = True
        elif clause == "stdout":
            marker.stdout_only = True
        elif re.fullmatch(r"exits \d+", clause):
            marker.exit_status = int(clause.split()[1])
        elif word == "after" and len(quoted) == 1:
            marker.after.append(quoted[0])
        elif word == "then" and len(quoted) == 1:
            marker.then.append(quoted[0])
        elif word == "with" and len(quoted) == 1 and re.fullmatch(r"with `[^`]*` in \S+", clause):
            marker.edits.append((quoted[0], clause.split()[-1]))
        elif word == "small" and len(quoted) == 1:
            if quoted[0].lstrip().startswith("--"):
                tokens = quoted[0].split()
                for i, token in enumerate(tokens):
                    if token.startswith("--"):
                        value = tokens[i + 1] if i + 1 < len(tokens) and not tokens[i + 1].startswith("--") else None
                        marker.small_flags.append((token, value))
            else:
                for item in quoted[0].split(","):
                    key, _, value = item.partition("=")
                    marker.small_keys.append((key.strip(), value.strip()))
        elif word == "mask" and len(quoted) == 1:
            marker.masks.append(re.compile(quoted[0]))
        else:
            raise MarkerError(f"unknown clause {clause!r}")
    kinds = [marker.output_of is not None, marker.save is not None, marker.run, marker.not_run is not None,
             marker.synopsis]
    if sum(kinds) != 1:
        raise MarkerError("a marker says exactly one of: output of `CMD`, save FILE, run, not run, synopsis")
    return marker


def split_clauses(text):
    """Clauses separated by `;`, except inside backticks."""
    clauses, current, quoted = [], "", False
    for char in text:
        if char == "`":
            quoted = not quoted
        if char == ";" and not quoted:
            clauses.append(current.strip())
            current = ""
        else:
            current += char
    return [c for c in clauses + [current.strip()] if c]


@dataclasses.dataclass
class Block:
    page: str
    marker: Marker | None
    fence: str | None  # the fence's info string ("sh", "python", ""), None for a paragraph
    first: int  # 0-based index of the first content line
    lines: list

    @property
    def where(self):
        """page:line of the block (its opening fence, or the paragraph's first line)."""
        return f"{self.page}:{self.first if self.fence is not None else self.first + 1}"


@dataclasses.dataclass
class Page:
    name: str
    text: str
    blocks: list  # marked blocks and paragraphs, in order
    unmarked_fences: list  # Blocks without a marker
    paragraphs: list  # every unmarked paragraph, as a Block without a marker
    errors: list  # (where, message) for markers that do not parse

    def shown_text(self):
        """The page without its markers: what a reader sees."""
        return MARKER.sub("", self.text)


def read_page(name, text=None):
    """The page's marked blocks and what is left unmarked (`text`: the page's text, if not the file's)."""
    text = (SOURCE / name).read_text(encoding="utf-8") if text is None else text
    lines = text.splitlines()
    page = Page(name, text, [], [], [], [])
    pending = None  # (line, Marker)
    i = 0
    while i < len(lines):
        line = lines[i]
        found = MARKER.fullmatch(line.strip())
        if found:
            try:
                pending = (i, parse_marker(found.group(1)))
            except MarkerError as error:  # reported; the block counts as unmarked
                page.errors.append((f"{name}:{i + 1}", str(error)))
                pending = None
            i += 1
        elif line.startswith("```"):
            end = i + 1
            while end < len(lines) and lines[end].strip() != "```":
                end += 1
            block = Block(name, pending[1] if pending else None, line[3:].strip(), i + 1, lines[i + 1:end])
            (page.blocks if pending else page.unmarked_fences).append(block)
            pending = None
            i = end + 1
        elif not line.strip():
            i += 1
        else:
            end = i
            while (end < len(lines) and lines[end].strip() and not lines[end].startswith("```")
                   and not MARKER.fullmatch(lines[end].strip())):
                end += 1
            block = Block(name, pending[1] if pending else None, None, i, lines[i:end])
            (page.blocks if pending else page.paragraphs).append(block)
            pending = None
            i = end
    if pending:
        page.errors.append((f"{name}:{pending[0] + 1}", "a marker with no block after it"))
    return page


def inline_spans(paragraph_lines):
    """The inline code spans of a paragraph (a span may break a line)."""
    return [span.strip() for span in re.findall(r"`([^`]+)`", " ".join(line.strip() for line in paragraph_lines))
            if span.strip()]


def inline_commands(paragraph_lines):
    """The inline code spans of a paragraph that a reader would run."""
    return [span for span in inline_spans(paragraph_lines) if is_command(span)]


def is_command(span):
    tokens = span.split()
    program = tokens[0]
    if program in ("build/ehsim", "build/ehsim_bench"):
        return len(tokens) >= 2  # build/ehsim alone names the binary
    if program == "ehsim":
        # In prose `ehsim run` names a subcommand, `ehsim sweep 1` a format, `ehsim sweep --parts` an
        # option; a command names a file, or is one of those that need none with an option.
        files = any("/" in t or t.endswith((".toml", ".h5")) for t in tokens[1:])
        return files or (len(tokens) >= 2 and (tokens[1].startswith("--") or tokens[1] in ("run", "schema"))
                         and any(t.startswith("--") for t in tokens[1:]))
    if program in ("python3", "/usr/bin/python3", "/usr/bin/time", "mpirun", "sbatch", "ctest"):
        return len(tokens) >= 2
    return (program == "tests/fuzz/run" or program.startswith("build/tests/")
            or re.fullmatch(r"scripts/\w+", program) is not None)


def has_placeholder(command):
    return any(PLACEHOLDER.match(token) for token in command.split()[1:])


# ---------------------------------------------------------------------------------------------
# Comparing what a block shows with what was printed


def masked(line, extra=()):
    for pattern, replacement in MASKS:
        line = pattern.sub(replacement, line)
    for pattern in extra:
        line = pattern.sub("MASKED", line)
    return line.rstrip()


def shaped(lines, extra=()):
    """The lines with every number masked and spacing ignored; repeated lines as one."""
    out = []
    for line in lines:
        line = " ".join(NUMBER.sub("#", masked(line, extra)).split())
        if not out or out[-1] != line:
            out.append(line)
    return out


def trimmed(lines):
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def sections_of(lines):
    """Blank-line-separated sections."""
    sections, current = [], []
    for line in lines:
        if line.strip():
            current.append(line)
        elif current:
            sections.append(current)
            current = []
    return sections + ([current] if current else [])


def keep_figures(shown, printed, extra=()):
    """`printed`, but where a line is the same masked keep the shown line (its timings)."""
    matcher = difflib.SequenceMatcher(None, [masked(s, extra) for s in shown], [masked(p, extra) for p in printed],
                                      autojunk=False)
    out = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        out += shown[i1:i2] if tag == "equal" else printed[j1:j2]
    return out


def compare(shown, printed, marker):
    """(same, what the block should show or None where it cannot be regenerated, notes)."""
    extra = marker.masks
    if marker.shape:
        return shaped(shown, extra) == shaped(printed, extra), None, []
    if not marker.sections:
        same = [masked(s, extra) for s in shown] == [masked(p, extra) for p in printed]
        return same, keep_figures(shown, printed, extra), []
    # Sections: each section shown is a whole section of the output, in order. Regenerated,
    # each section shown is replaced by the printed section it comes from: the one with the
    # same first line, or failing that the most alike; one that matches nothing is dropped.
    wanted, notes, at = [], [], 0
    printed_sections = sections_of(printed)
    for section in sections_of(shown):
        title = masked(section[0], extra)
        match = next((j for j in range(at, len(printed_sections)) if masked(printed_sections[j][0], extra) == title),
                     None)
        if match is None:
            ratios = [(difflib.SequenceMatcher(None, "\n".join(section), "\n".join(printed_sections[j])).ratio(), j)
                      for j in range(at, len(printed_sections))]
            best = max(ratios, default=(0, None))
            match = best[1] if best[0] >= 0.5 else None
        if match is None:
            notes.append(f"the section {section[0].strip()!r} is no longer printed: left out")
            continue
        wanted.append(keep_figures(section, printed_sections[match], extra))
        at = match + 1
    regenerated = [line for i, section in enumerate(wanted) for line in ([""] if i else []) + section]
    same = [masked(s, extra) for s in shown] == [masked(r, extra) for r in regenerated] and not notes
    return same, regenerated, notes


def difference(where, shown, wanted, what):
    diff = difflib.unified_diff(shown, wanted, f"{where} (shown)", what, lineterm="", n=2)
    return "\n".join(diff)


# ---------------------------------------------------------------------------------------------
# Running a page


@dataclasses.dataclass
class Outcome:
    status: str  # "ok", "stale" (regenerated text differs), "failed", "skipped"
    message: str = ""
    regenerated: list | None = None  # the block's new lines where --update may write them


class Failure(Exception):
    pass


class Skip(Exception):
    pass


class PageRun:
    """One page's commands, run in a temporary folder laid out as the repository root."""

    def __init__(self, page, root):
        self.page = page
        self.work = Path(root)
        self.outcomes = {}  # id(block) -> Outcome
        self.seconds = {}  # id(block) -> (seconds, CPU seconds) its commands took
        # The last command run and what it did: a command run twice in a row (a block of commands,
        # then its output) runs once, unless a file was edited in between.
        self.last = None
        self.lay_out()

    def lay_out(self):
        for name in ("configs", "scenarios", "sweeps"):
            shutil.copytree(SOURCE / name, self.work / name)
        (self.work / "analysis").symlink_to(SOURCE / "analysis")
        (self.work / "build").symlink_to(BINARY.parent)
        (self.work / "tmp").mkdir()
        if self.page.name != "README.md":
            (self.work / "out").mkdir()
        tools = self.work / ".bin"
        tools.mkdir()
        (tools / "ehsim").symlink_to(BINARY)
        (tools / "python3").symlink_to(sys.executable)
        self.env = dict(os.environ, PATH=f"{tools}{os.pathsep}{os.environ.get('PATH', '')}",
                        PYTHONDONTWRITEBYTECODE="1",
                        # mpirun on a machine with fewer cores than ranks, and as root in containers
                        OMPI_MCA_rmaps_base_oversubscribe="1", OMPI_ALLOW_RUN_AS_ROOT="1",
                        OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")

    # Paths and text ------------------------------------------------------------------------

    def local(self, text):
        """A /tmp/ path in a command or file name is taken inside the folder."""
        return re.sub(r"(?<![\w./])/tmp/", f"{self.work}/tmp/", text)

    def unlocal(self, text):
        return text.replace(f"{self.work}/tmp/", "/tmp/").replace(f"{self.work}/", "")

    def path(self, name):
        return Path(self.local(name)) if name.startswith("/tmp/") else self.work / name

    # Running -------------------------------------------------------------------------------

    def shell(self, command, extra_env=None, local=True):
        """Run a command of the page (its /tmp/ paths taken inside the folder)."""
        key = (command, tuple(sorted((extra_env or {}).items())))
        if not self.last or self.last[0] != key:
            try:
                result = subprocess.run(["bash", "-c", self.local(command) if local else command], cwd=self.work,
                                        env=dict(self.env, **(extra_env or {})), capture_output=True, text=True,
                                        encoding="utf-8", errors="replace", timeout=COMMAND_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                raise Failure(f"`{command}` ran past {COMMAND_TIMEOUT_S} s")
            self.last = key, result
        return self.last[1]

    def printed(self, result, marker):
        text = result.stdout if marker.stdout_only else result.stdout + result.stderr
        return trimmed(self.unlocal(text).splitlines())

    def must_succeed(self, command, extra_env=None, shown=None):
        """Run a command that must exit 0; `shown` is the page's form of it, where that differs."""
        result = self.shell(command, extra_env)
        if result.returncode != 0:
            run_as = f" (run as `{command}`)" if shown and shown != command else ""
            raise Failure(f"`{shown or command}`{run_as} exited {result.returncode}:\n"
                          + self.unlocal(result.stdout + result.stderr).rstrip())
        return result

    def edited(self):
        self.last = None

    def small(self, command, marker):
        """The command with the marker's small options set: replaced, or added at the end
        (to `ehsim SUBCOMMAND` only those its --help lists)."""
        subcommand = re.search(r"(?<![\w-])ehsim\s+(\w+)", command)
        if not subcommand and not re.search(r"(?<![\w-])ehsim_bench\b", command):
            return command
        accepted = help_flags(subcommand.group(1)) if subcommand else None
        for flag, value in marker.small_flags:
            present = re.search(rf"(?<!\S){re.escape(flag)}(?:[ =](\S+))?", command)
            if present and value is not None and present.group(1) and not present.group(1).startswith("-"):
                command = command[:present.start(1)] + value + command[present.end(1):]
            elif not present and (accepted is None or flag in accepted):
                command += f" {flag}" + (f" {value}" if value is not None else "")
        return command

    def shrink_sweeps(self, text, marker):
        """Set the marker's small keys in every sweep file, and every calibration's fit
        file, that the commands in `text` run."""
        if not marker.small_keys:
            return
        files = re.findall(r"(?<![\w-])ehsim\s+(?:sweep|merge)\s+(\S+)", text)
        files += re.findall(r"(?<![\w-])ehsim\s+calibrate\b[^\n]*?--fit\s+(\S+)", text.replace("\\\n", " "))
        if not files:
            raise Failure("`small` names sweep or fit keys, but no command here runs a sweep or a calibration")
        for name in dict.fromkeys(files):
            set_top_level_keys(self.path(name), marker.small_keys)
        self.edited()

    def check_command(self, command, marker):
        """Run one command as a reader would, or as far as a test can; raise Failure if refused."""
        command = re.sub(r"\s+#\s.*$", "", command).strip()  # a trailing comment
        program = command.split()[0]
        if re.fullmatch(r"scripts/\w+", program):  # they install packages, build, run for minutes
            for part in command.split("&&"):
                script = SOURCE / part.split()[0]
                if not (script.is_file() and os.access(script, os.X_OK)):
                    raise Failure(f"`{command}`: {part.split()[0]} is not an executable script")
            return
        if program == "tests/fuzz/run":  # builds with clang and fuzzes for minutes
            if not os.access(SOURCE / program, os.X_OK):
                raise Failure(f"`{command}`: {program} is not an executable script")
            return
        if program == "sbatch":
            wrapped = re.search(r"--wrap\s+'([^']*)'", command)
            if not wrapped:
                raise Failure(f"`{command}`: sbatch without --wrap '...' cannot be checked")
            return self.check_command(wrapped.group(1), marker)
        if program == "mpirun" and not shutil.which("mpirun"):
            raise Skip("mpirun is not installed")
        if has_placeholder(self.small(command, marker)):
            check_flags(command)
            return
        if program == "ctest":  # -N lists the tests rather than running the suite (this one too)
            self.must_succeed(command + " -N", shown=command)
            return
        if program.startswith("build/tests/"):  # lists the tests the tags select
            result = self.shell(command + " --list-tests")
            count = re.search(r"(\d+) matching test cases?", result.stdout)
            if not count or int(count.group(1)) == 0:
                raise Failure(f"`{command}` selects no test:\n{result.stdout}{result.stderr}")
            return
        self.must_succeed(self.small(command, marker), shown=command)

    # The page ------------------------------------------------------------------------------

    def run(self):
        for block in self.page.blocks:
            if block.marker.save:
                path = self.path(block.marker.save)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("\n".join(block.lines) + "\n", encoding="utf-8")
        for block in self.page.blocks:
            start, cpu = time.monotonic(), children_cpu_s()
            self.outcomes[id(block)] = self.run_block(block)
            self.seconds[id(block)] = (time.monotonic() - start, children_cpu_s() - cpu)
        return self

    def run_block(self, block):
        marker = block.marker
        restore = []
        try:
            for command in marker.after:
                self.must_succeed(command)
            for line, name in marker.edits:
                path = self.path(name)
                restore.append((path, path.read_text(encoding="utf-8")))
                set_line(path, line)
                self.edited()
            if marker.save:
                self.shrink_sweeps("\n".join(marker.then), marker)
                for command in marker.then:
                    self.check_command(command, marker)
                return Outcome("ok")
            if marker.not_run:
                return Outcome("ok")
            if marker.synopsis:
                return self.check_synopsis(block)
            if marker.output_of is not None:
                return self.check_output(block)
            if block.fence is None:
                return self.run_paragraph(block)
            if block.fence == "python":
                return self.run_python(block)
            if any(line.startswith("$ ") for line in block.lines):
                return self.run_transcript(block)
            if any(line.startswith("#SBATCH") for line in block.lines):
                return self.run_job_array(block)
            return self.run_commands(block)
        except Failure as failure:
            return Outcome("failed", f"{block.where}: {failure}")
        except Skip as skip:
            return Outcome("skipped", f"{block.where}: {skip}")
        finally:
            for path, text in restore:
                path.write_text(text, encoding="utf-8")
                self.edited()

    def check_output(self, block):
        marker = block.marker
        command = marker.output_of
        if " ".join(command.split()) not in " ".join(self.page.shown_text().split()):
            raise Failure(f"the marker runs `{command}`, which the page does not show")
        shown = trimmed(block.lines)
        if not shown:
            raise Failure("the block shows nothing")
        self.shrink_sweeps(command, marker)
        result = self.shell(self.small(command, marker))
        printed = self.printed(result, marker)
        if result.returncode != marker.exit_status:  # never write an unexpected error into the page
            raise Failure(f"`{command}` exited {result.returncode}, not {marker.exit_status}:\n" + "\n".join(printed))
        same, wanted, notes = compare(shown, printed, marker)
        return self.verdict(block, same, shown, wanted, notes, printed, f"`{command}` printed")

    def verdict(self, block, same, shown, wanted, notes, printed, what):
        if same:
            return Outcome("ok")
        if wanted is None:
            shape = difference(block.where, shaped(shown, block.marker.masks), shaped(printed, block.marker.masks),
                               f"{what} (numbers masked)")
            return Outcome("failed", f"{block.where}: the block no longer has the shape of the output; figures "
                           f"are measurements, so --update leaves it: measure again and edit it by hand\n{shape}")
        message = "\n".join([f"{block.where}: the block differs from what {what}; scripts/docs --update rewrites it",
                             *notes, difference(block.where, shown, wanted, what)])
        return Outcome("stale", message, wanted)

    def run_paragraph(self, block):
        commands = inline_commands(block.lines)
        if not commands:
            raise Failure("the marker says run, but the paragraph shows no command")
        self.shrink_sweeps("\n".join(commands), block.marker)
        for command in commands:
            self.check_command(command, block.marker)
        return Outcome("ok")

    def run_commands(self, block):
        commands = joined_lines(block.lines)
        self.shrink_sweeps("\n".join(commands), block.marker)
        for command in commands:
            if command and not command.startswith("#"):
                self.check_command(command, block.marker)
        return Outcome("ok")

    def run_python(self, block):
        code = "\n".join(block.lines)
        self.edited()  # it may write files
        result = subprocess.run([sys.executable, "-c", self.local(code)], cwd=self.work, env=self.env,
                                capture_output=True, text=True, encoding="utf-8", timeout=COMMAND_TIMEOUT_S)
        if result.returncode != 0:
            raise Failure(f"the Python exited {result.returncode}:\n{self.unlocal(result.stderr).rstrip()}")
        return Outcome("ok")

    def run_job_array(self, block):
        script = "\n".join(block.lines)
        array = re.search(r"^#SBATCH --array=(\d+)-(\d+)", script, re.M)
        cpus = re.search(r"^#SBATCH --cpus-per-task=(\d+)", script, re.M)
        if not array:
            raise Failure("a job script without #SBATCH --array=A-B")
        self.shrink_sweeps(script, block.marker)
        for task in range(int(array.group(1)), int(array.group(2)) + 1):
            self.must_succeed(self.small(script, block.marker),
                              {"SLURM_ARRAY_TASK_ID": str(task), "SLURM_CPUS_PER_TASK": cpus.group(1) if cpus else "1"},
                              shown=f"the job script, task {task}")
        return Outcome("ok")

    def run_transcript(self, block):
        """`$ ` lines are commands, each followed by what it prints; run in one shell, in order."""
        marker = block.marker
        steps = transcript_steps(block.lines)
        self.shrink_sweeps("\n".join(command for command, _, _ in steps), marker)
        separator = "@@docs-step@@"
        errors = self.work / ".stderr"
        errors.mkdir(exist_ok=True)
        script = "".join(f'{{ {self.local(self.small(command, marker))}\n}} 2>"{errors}/{i}"; echo "{separator} $?"\n'
                         for i, (command, _, _) in enumerate(steps))
        result = self.shell(script, local=False)
        pieces = re.split(rf"^{separator} (\d+)$\n?", result.stdout, flags=re.M)
        outputs, codes = pieces[0:-1:2], pieces[1::2]
        wanted, same_all, printed_all = [], True, []
        for i, (command, shown_lines, gap) in enumerate(steps):
            if i >= len(codes):
                raise Failure(f"`{command}` did not finish:\n{self.unlocal(result.stderr)}")
            stderr = (errors / str(i)).read_text(encoding="utf-8", errors="replace")
            if codes[i] != "0":
                raise Failure(f"`{command}` exited {codes[i]}:\n{self.unlocal(outputs[i] + stderr).rstrip()}")
            printed = trimmed(self.unlocal(outputs[i] + ("" if marker.stdout_only else stderr)).splitlines())
            shown = trimmed(shown_lines)
            # A command shown with nothing after it: only that it succeeds is checked.
            same, regenerated, notes = compare(shown, printed, marker) if shown else (True, shown, [])
            if notes:
                raise Failure("\n".join(notes))
            same_all &= same
            printed_all += [f"$ {command}"] + printed + [""] * gap
            wanted += [f"$ {command}"] + (regenerated if regenerated is not None else shown) + [""] * gap
        shown_all = trimmed(block.lines)
        return self.verdict(block, same_all, shown_all, None if marker.shape else trimmed(wanted),
                            [], trimmed(printed_all), "the commands printed")

    def check_synopsis(self, block):
        """Each `ehsim SUBCOMMAND` entry names exactly the flags its --help lists, and every
        subcommand has an entry."""
        entries, problems = {}, []
        for line in block.lines:
            if line.startswith("ehsim "):
                name = line.split()[1]
                entries[name] = line
            elif line.strip() and entries:
                entries[name] += " " + line
        for name, entry in entries.items():
            if name.startswith("--"):
                if name not in (help_flags("") or set()) | {"--version"}:
                    problems.append(f"ehsim has no {name}")
                continue
            known = help_flags(name)
            if known is None:
                problems.append(f"ehsim has no subcommand {name}")
                continue
            shown = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", entry))
            for flag in sorted(known - shown):
                problems.append(f"ehsim {name} --help lists {flag}, which the synopsis leaves out")
            for flag in sorted(shown - known):
                problems.append(f"the synopsis shows ehsim {name} {flag}, which ehsim {name} --help does not list")
        for name in subcommands():
            if name not in entries:
                problems.append(f"ehsim --help lists the subcommand {name}, which the synopsis leaves out")
        if problems:
            return Outcome("failed", f"{block.where}: the synopsis is stale (edit it by hand):\n  "
                           + "\n  ".join(problems))
        return Outcome("ok")


@functools.cache
def subcommands():
    """The subcommands `ehsim --help` lists."""
    top = subprocess.run([str(BINARY), "--help"], capture_output=True, text=True).stdout
    listed = re.search(r"Subcommands:\n((?:  \S.*\n)+)", top)
    return tuple(re.findall(r"^  (\S+)", listed.group(1) if listed else "", re.M))


@functools.cache
def help_flags(subcommand):
    """The flags in the Options of `ehsim SUBCOMMAND --help` (None: no such subcommand)."""
    args = [str(BINARY)] + ([subcommand] if subcommand else []) + ["--help"]
    result = subprocess.run(args, capture_output=True, text=True, encoding="utf-8")
    if result.returncode != 0:
        return None
    options = re.search(r"^Options:\n((?:[ \t].*\n|\n)*)", result.stdout, re.M)
    listed = re.findall(r"^  (?:-\w,)?(--[a-z][a-z-]*)", options.group(1) if options else "", re.M)
    return frozenset(listed) - {"--help"}


def check_flags(command):
    """For an ehsim command that cannot run as written: its subcommand and flags exist."""
    tokens = command.split()
    if tokens[0] not in ("ehsim", "build/ehsim"):
        return
    subcommand = tokens[1] if len(tokens) > 1 and not tokens[1].startswith("-") else ""
    known = help_flags(subcommand)
    if known is None:
        raise Failure(f"`{command}`: ehsim has no subcommand {subcommand!r}")
    unknown = sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", command)) - known - {"--help", "--version"})
    if unknown:
        raise Failure(f"`{command}`: ehsim {subcommand} has no {', '.join(unknown)}")


def children_cpu_s():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def joined_lines(lines):
    """Lines with their `\\` continuations joined."""
    commands, current = [], ""
    for line in lines:
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1].rstrip() + " "
        else:
            commands.append((current + line.strip()).strip() if current else line.strip())
            current = ""
    return commands + ([current.strip()] if current else [])


def transcript_steps(lines):
    """(command, the lines shown after it, blank lines that end it) for each `$ ` line."""
    steps = []
    for line in lines:
        if line.startswith("$ "):
            steps.append([line[2:], []])
        elif steps:
            steps[-1][1].append(line)
    result = []
    for command, shown in steps:
        gap = len(shown) - len(trimmed(shown)) if trimmed(shown) else len(shown)
        result.append((command, shown, gap))
    return result


def set_line(path, line):
    """Replace the line of `path` that sets the same key as `line`."""
    key = line.split("=")[0].strip()
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, existing in enumerate(lines):
        if re.match(rf"\s*{re.escape(key)}\s*=", existing):
            lines[i] = re.match(r"\s*", existing).group(0) + line
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            return
    raise Failure(f"{path.name} has no line setting {key}")


def set_top_level_keys(path, items):
    """Set top-level keys of a TOML file (before its first table), adding those it lacks."""
    lines = path.read_text(encoding="utf-8").splitlines()
    first_table = next((i for i, line in enumerate(lines) if line.lstrip().startswith("[")), len(lines))
    for key, value in items:
        at = next((i for i in range(first_table) if re.match(rf"\s*{re.escape(key)}\s*=", lines[i])), None)
        if at is None:
            lines.insert(first_table, f"{key} = {value}")
            first_table += 1
        else:
            lines[at] = f"{key} = {value}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# What is left unmarked, and the generated references


def plain(command):
    """A command as compared: spacing ignored, and `build/ehsim` the same as `ehsim`."""
    return " ".join(command.removeprefix("build/").split())


def unmarked(page):
    """Blocks and inline commands that no marker covers: (where, what)."""
    problems = list(page.errors)
    for block in page.unmarked_fences:
        problems.append((block.where, "a block without a <!-- docs: ... --> marker (say `not run` if it is neither "
                                      "a command nor output)"))
    covered = {plain(block.marker.output_of) for block in page.blocks if block.marker.output_of}
    covered |= {plain(command) for block in page.blocks for command in block.marker.after}
    covered |= {plain(command) for _, _, _, command in GENERATED}
    # A generated part of the page is checked whole against its command.
    lines = page.text.splitlines()
    generated_lines = set()
    for name, begin, end, _ in GENERATED:
        if name == page.name and begin is not None and begin in lines and end in lines:
            generated_lines |= set(range(lines.index(begin), lines.index(end)))
    for block in page.paragraphs:
        if block.first in generated_lines:
            continue
        for command in inline_commands(block.lines):
            if not has_placeholder(command) and plain(command) not in covered:
                problems.append((block.where, f"`{command}` is not run: mark the paragraph <!-- docs: run -->"))
    return problems


def generated(name, begin, end, command, update=False):
    """Compare (or rewrite) a generated reference; returns a message when it was stale."""
    path = SOURCE / name
    text = path.read_text(encoding="utf-8")
    fresh = subprocess.run([str(BINARY)] + command.split()[1:], capture_output=True, text=True, encoding="utf-8",
                           check=True, cwd=SOURCE).stdout
    if begin is None:
        head, current, tail = "", text, ""
    else:
        start = text.index(begin + "\n") + len(begin) + 1
        stop = text.index(end, start)
        head, current, tail = text[:start], text[start:stop], text[stop:]
    if current == fresh:
        return None
    if update:
        path.write_text(head + fresh + tail, encoding="utf-8")
    diff = "\n".join(difflib.unified_diff(current.splitlines(), fresh.splitlines(), f"{name} (shown)",
                                          f"`{command}` printed", lineterm="", n=1))
    return f"{name}: generated by `{command}`, and stale; scripts/docs --update rewrites it\n{diff}"


# ---------------------------------------------------------------------------------------------
# The command line: check, or --update


def rewritten(page, outcomes):
    """The page's text with its regenerated blocks; every other line stays as it is."""
    lines = page.text.splitlines()
    for block in sorted(page.blocks, key=lambda b: b.first, reverse=True):
        outcome = outcomes[id(block)]
        if outcome.status == "stale" and outcome.regenerated is not None:
            lines[block.first:block.first + len(block.lines)] = outcome.regenerated
    return "\n".join(lines) + ("\n" if page.text.endswith("\n") else "")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="rewrite stale output blocks and generated references")
    parser.add_argument("--times", action="store_true", help="print the seconds (wall, CPU) each block took")
    parser.add_argument("pages", nargs="*", help="pages to check (default: README.md and docs/*.md)")
    args = parser.parse_args(argv)
    generated_pages = [entry[0] for entry in GENERATED]
    chosen = [str(Path(name).resolve().relative_to(SOURCE)) if Path(name).exists() else name for name in args.pages]
    for name in chosen:
        if name not in pages() + generated_pages:
            parser.error(f"{name} is not one of the pages: {', '.join(dict.fromkeys(pages() + generated_pages))}")
    left = 0  # what --update cannot mend, or what the check found
    for name, begin, end, command in GENERATED:
        if chosen and name not in chosen:
            continue
        message = generated(name, begin, end, command, update=args.update)
        if message:
            print(f"rewritten: {name}" if args.update else message + "\n")
            left += not args.update
    for name in [name for name in chosen or pages() if name in pages()]:
        page = read_page(name)
        for where, what in unmarked(page):
            print(f"{where}: {what}")
            left += 1
        with tempfile.TemporaryDirectory(prefix="ehsim-docs-") as folder:
            page_run = PageRun(page, folder).run()
        counts = {"ok": 0, "stale": 0, "failed": 0, "skipped": 0}
        for block in page.blocks:
            outcome = page_run.outcomes[id(block)]
            counts[outcome.status] += 1
            if args.times:
                print("{:6.1f} s, {:5.1f} s of CPU  {}".format(*page_run.seconds[id(block)], block.where))
            if outcome.status == "stale" and args.update:
                notes = [line for line in outcome.message.splitlines()[1:] if line.startswith("the section ")]
                print("\n  ".join([f"rewritten: {block.where}"] + notes))
            elif outcome.status != "ok":
                print(("skipped: " if outcome.status == "skipped" else "") + outcome.message + "\n")
                left += outcome.status != "skipped"
        if args.update and counts["stale"]:
            (SOURCE / name).write_text(rewritten(page, page_run.outcomes), encoding="utf-8")
        print(f"{name}: {len(page.blocks)} marked blocks: {counts['ok']} as shown, "
              + (f"{counts['stale']} rewritten, " if args.update else f"{counts['stale']} stale, ")
              + f"{counts['failed']} failed, {counts['skipped']} skipped")
    if args.update:
        print("review the rewritten pages with git diff" + (f"; {left} problems left to mend by hand" if left else ""))
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())

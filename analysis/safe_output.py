"""Where the analysis tools may write a file, and how: the rules ehsim's --out
follows (docs/reliability.md), so that no tool loses a user's file.

check_target(path, ...)  decides, before any work, whether `path` may be
                         written, and returns the file to write: the path
                         itself, or the file a symbolic link at it points to.
                         Raises OutputRefused, whose str() is one line naming
                         the path and the way out, when it may not be:
                         - a folder, device, pipe or socket: never;
                         - an input of the command (after links): never, not
                           even with force;
                         - an existing file the tool did not write (is_own
                           says no), or a read-only one: only with force;
                         - a link to nothing: never;
                         - a missing or unwritable folder: never.
atomic_text(path)        a context manager giving a text stream; what is
                         written appears under `path` complete or not at all:
                         written to .NAME.partial-PID beside it, synced,
                         renamed over `path`, the folder synced. On any
                         failure the temporary is removed and `path` is left
                         as it was.
head(path, size)         the first bytes of a file, for is_own predicates.
"""
import contextlib
import errno
import os
import stat


class OutputRefused(Exception):
    """The output path may not be written; str() is a one-line message."""


def _kind_of(mode):
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def temporary_name(path):
    """The name a file is written under before it is complete: beside `path`,
    hidden, unique to this process."""
    folder, name = os.path.split(os.fspath(path))
    return os.path.join(folder, f".{name}.partial-{os.getpid()}")


def head(path, size=4096):
    """The first `size` bytes of the file at `path` (b"" when it cannot be read)."""
    try:
        with open(path, "rb") as stream:
            return stream.read(size)
    except OSError:
        return b""


def _check_writable(target, given):
    """Creates and removes the temporary the file will be written to: this
    finds a missing folder, permissions or a read-only file system before any
    work."""
    folder = os.path.dirname(target) or "."
    if not os.path.isdir(folder):
        raise OutputRefused(f"{given}: cannot write: folder {folder} does not exist")
    temporary = temporary_name(target)
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    except OSError as error:
        raise OutputRefused(f"{given}: cannot write: {error.strerror}") from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(temporary)


def check_target(path, *, tool, option, inputs=(), force=False, is_own=lambda target: False):
    """Whether `path` may be written by `tool` (named in messages, with the
    `option` that gave the path); returns the file to write (a link followed).

    inputs: the files the command reads; the target may be none of them.
    force:  replace an existing file that is_own(target) does not recognise,
            or a read-only one.
    """
    path = os.fspath(path)
    given = f"{option} {path}"
    if os.path.basename(path) in ("", ".", ".."):
        raise OutputRefused(f"{given}: an output file name is needed")
    target = path
    # A link is followed deliberately: the file it points to is replaced, the link kept.
    if os.path.islink(path):
        try:
            target = os.path.realpath(path, strict=True)
        except OSError:
            raise OutputRefused(f"{given}: a link to {os.readlink(path)}, which does not exist; give the file's "
                                "own path") from None
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise OutputRefused(f"{given}: cannot write: {error.strerror}") from None
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            raise OutputRefused(f"{given}: it is {_kind_of(info.st_mode)}; {tool} writes only to a file")
        for input_path in inputs:
            try:
                same = os.path.samefile(target, input_path)
            except OSError:
                same = False
            if same:
                raise OutputRefused(f"{given}: it is an input of this command ({input_path}); write to another "
                                    "file")
        if not force:
            if info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) == 0:
                raise OutputRefused(f"{given}: the file is read-only; give another path, or --force to replace it")
            if not is_own(target):
                raise OutputRefused(f"{given}: the file exists and is not one {tool} wrote; give another path, or "
                                    "--force to replace it")
    _check_writable(target, given)
    return target


def _sync_folder(folder):
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    except OSError as error:
        # Some file systems cannot sync a folder (EINVAL); the rename still stands.
        if error.errno != errno.EINVAL:
            raise
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_text(target):
    """with atomic_text(target) as stream: stream.write(...)

    `target` is what check_target returned. The text goes, as UTF-8 with no
    newline translation, to a temporary beside `target`, which is synced and
    renamed over `target` when the block ends without an exception; the folder
    is then synced. Any exception (KeyboardInterrupt included) removes the
    temporary and leaves `target` as it was."""
    target = os.fspath(target)
    temporary = temporary_name(target)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(os.path.dirname(target) or ".")

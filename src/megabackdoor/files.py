"""The project's one way to write a file: atomic and no-clobber, with messages that name the user's path.

Every file a command writes (workbooks, PDFs, reports, scenario files, the function reference) goes through
:func:`atomic_write`: the bytes go to a temp file beside the target, which is then moved into place. Without
``force`` the move is a hard link, which fails if anything is at the target (a symlink, dangling or not,
too), so a file that appeared while we were writing is never replaced; on a file system without hard links
it checks, then renames. A crash leaves the target as it was and a temp file that the next write into that
folder removes (:func:`clean_stale_temps`). A batch writes all its temp files first and publishes them
together (:func:`write_temp`, :func:`publish`, :func:`remove_temp`).

Standard library only, and cheap to import (``tempfile`` and ``time`` are imported when used): the command
line writes a scenario file or the function reference without loading the workbook renderer.
"""

from __future__ import annotations

import errno
import os

TEMP_PREFIX = ".megabackdoor-"   # temp files are .megabackdoor-<pid>-<random><target's suffix>.tmp beside it
TEMP_SUFFIX = ".tmp"
STALE_SECONDS = 3600              # a temp file this old is stale whatever its process (pids get reused)
_NO_HARD_LINKS = frozenset({errno.EPERM, errno.EACCES, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK,
                            errno.ENOSYS, errno.EXDEV})


def refuse_existing(paths, force: bool = False, need_folder: bool = True) -> None:
    """Unless ``force``, raise FileExistsError naming the first of ``paths`` that exists and the --force flag
    (a batch calls it on all its targets before writing any). A symlink counts as existing, dangling or not.
    A folder is refused even with ``force``; so is a name the system cannot hold (too long) and, with
    ``need_folder``, a file in a folder that does not exist: before any work, each as an OSError naming it."""
    for path in paths:
        path = os.fspath(path)
        if os.path.isdir(path):
            raise IsADirectoryError(errno.EISDIR, "is a folder: give a file name", path)
        try:
            os.lstat(path)
        except FileNotFoundError:
            folder = os.path.dirname(os.path.abspath(path))
            if need_folder and not os.path.isdir(folder):
                raise FileNotFoundError(errno.ENOENT, "No such file or directory", path) from None
            continue
        except OSError as error:  # the name is too long, a part of it is a file, ...
            raise on_path(path, error) from None
        if not force:
            raise FileExistsError(f"{path} already exists; pass --force to overwrite it")


def on_path(path: str, error: OSError) -> OSError:
    """``error`` naming ``path`` (the file the user asked for, not our temp file), for a one-line message."""
    if isinstance(error, FileExistsError) and error.filename is None:
        return error  # our own "already exists; pass --force" message
    reason = error.strerror or str(error) or type(error).__name__
    named = OSError(error.errno, reason, path) if error.errno else OSError(reason)
    named.filename = path
    return named


def clean_stale_temps(folder: str) -> None:
    """Remove temp files of ours in ``folder`` that a killed writer left (its process is gone, or an hour old)."""
    import time

    try:
        names = [n for n in os.listdir(folder) if n.startswith(TEMP_PREFIX) and n.endswith(TEMP_SUFFIX)]
    except OSError:
        return
    now = time.time()
    for name in names:
        temp = os.path.join(folder, name)
        try:
            age = now - os.lstat(temp).st_mtime
            pid_text = name[len(TEMP_PREFIX):].split("-", 1)[0]
            alive = pid_text.isdigit() and _alive(int(pid_text))
            if age > STALE_SECONDS or (not alive and (pid_text.isdigit() or age > 600)):
                os.unlink(temp)
        except OSError:
            continue  # gone already, or not ours to remove


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill(pid, 0) would end the process on Windows: go by age there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's live process
    return True


def write_temp(path: str | os.PathLike, write, clean: bool = True) -> str:
    """Call ``write(stream)`` on a new temp file beside ``path`` and return its name (removed on any error).

    Stale temp files of ours in that folder are removed first, unless ``clean`` is false (a batch cleans
    each folder once: listing a folder that fills with the batch's own temp files for every workbook made
    the batch quadratic). OS errors name ``path``.
    """
    import tempfile

    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    if clean:
        clean_stale_temps(folder)
    try:
        handle, temp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-",
                                        suffix=os.path.splitext(path)[1] + TEMP_SUFFIX, dir=folder)
    except OSError as error:
        raise on_path(path, error) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temp, 0o666 & ~mask)  # mkstemp makes 0600; the file gets the usual permissions
    except BaseException as error:
        remove_temp(temp)
        if isinstance(error, OSError):
            raise on_path(path, error) from None
        raise
    return temp


def publish(temp: str, path: str | os.PathLike, force: bool = False) -> str:
    """Move the finished ``temp`` to ``path``. Without ``force`` this is atomic no-clobber: a hard link, which
    fails if anything is at ``path`` (a symlink too), so a file that appeared meanwhile is never replaced."""
    path = os.fspath(path)
    try:
        if force:
            os.replace(temp, path)
            return path
        try:
            os.link(temp, path)
        except FileExistsError:
            raise FileExistsError(f"{path} already exists; pass --force to overwrite it") from None
        except OSError as error:
            if error.errno not in _NO_HARD_LINKS:
                raise
            # A file system without hard links: check, then rename (the small race is the best it offers).
            refuse_existing([path])
            os.replace(temp, path)
            return path
        remove_temp(temp)
    except OSError as error:
        remove_temp(temp)
        raise on_path(path, error) from None
    return path


def remove_temp(temp: str) -> None:
    """Remove a file of ours if it is there."""
    try:
        os.unlink(temp)
    except OSError:
        pass


def atomic_write(path: str | os.PathLike, write, force: bool = False) -> str:
    """Call ``write(stream)`` on a temp file beside ``path``, then move it into place (:func:`publish`).

    A crash or error leaves ``path`` as it was; an existing ``path`` (or a symlink there) is kept unless
    ``force``, checked before writing and atomically at the end. Raises FileExistsError naming the file and
    --force; any other OSError names ``path``.

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> target = os.path.join(folder, "client.toml")
    >>> atomic_write(target, lambda stream: stream.write(b"[person]\\n")) == target
    True
    >>> try:
    ...     atomic_write(target, lambda stream: stream.write(b"other"))
    ... except FileExistsError as error:
    ...     print(str(error).replace(folder, "FOLDER"))
    FOLDER/client.toml already exists; pass --force to overwrite it
    >>> with open(target, "rb") as handle:
    ...     os.listdir(folder), handle.read()
    (['client.toml'], b'[person]\\n')
    >>> import shutil; shutil.rmtree(folder)
    """
    path = os.fspath(path)
    refuse_existing([path], force)
    return publish(write_temp(path, write), path, force)

"""Read a file only if it is a regular file of bounded size: never a FIFO (hangs), a device such as
/dev/zero (endless), or a folder."""

from __future__ import annotations

import os
import stat
from pathlib import Path


class InputFileError(Exception):
    """A file that cannot be read as input; the message is one short line without the file name."""


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of ``path`` (symbolic links followed) if it is a regular file of at most ``max_bytes``."""
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise InputFileError(f"cannot read file: {error.strerror or error}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(f"not a regular file (it is {_kind(info.st_mode)}): only plain files are read")
        if info.st_size > max_bytes:
            raise InputFileError(f"file too large ({info.st_size:,} bytes; at most {max_bytes:,})")
        chunks = []
        remaining = max_bytes + 1  # the size can change between fstat and read
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > max_bytes:
            raise InputFileError(f"file too large (more than {max_bytes:,} bytes)")
        return data
    except OSError as error:
        raise InputFileError(f"cannot read file: {error.strerror or error}") from None
    finally:
        os.close(fd)


def read_stream(stream, max_bytes: int) -> bytes:
    """Up to ``max_bytes`` from a binary stream (standard input); more is an error, never read to the end."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputFileError(f"input too large (more than {max_bytes:,} bytes)")
    return data


def decode_utf8(data: bytes) -> str:
    """UTF-8 text (a leading byte-order mark dropped), or a plain message saying where it is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputFileError(
            f"not UTF-8 text (byte 0x{data[error.start]:02x} at position {error.start}): save the file as UTF-8"
        ) from None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"

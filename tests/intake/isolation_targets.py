"""Functions the isolation tests run in a child process (not a test module): each misbehaves in
one way a hostile file makes a parser misbehave."""

from __future__ import annotations

import os
import threading


class Refused(Exception):
    def __init__(self, key: str, detail: str) -> None:
        super().__init__(key)
        self.key, self.detail = key, detail


def echo(text: str, limits) -> dict:
    return {"text": text, "memory_mb": limits.memory_mb}


def refuse(limits) -> None:
    raise Refused("file_too_large", "工作表声明 1,048,576 行")


def allocate(limits) -> int:
    """Asks for twice the memory it may have (Python's MemoryError)."""
    return len(bytearray(limits.memory_mb * 2 * 1024 * 1024))


def abort(limits) -> None:
    """Dies as a native library's abort() does (calamine's failed allocation)."""
    os.abort()


def spin(limits) -> None:
    """Never returns: waits on an event nothing sets (the parent's timeout ends it)."""
    threading.Event().wait()


def fail(limits) -> None:
    raise RuntimeError("a bug in the parser")

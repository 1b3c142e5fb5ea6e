"""Run a command with its standard output and error on a pseudo-terminal, as a person would see it."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path


def run_on_terminal(args: list[str], cwd: Path, env: dict[str, str] | None = None,
                    timeout: float = 300) -> tuple[int, str]:
    """(exit code, everything written to the terminal, with \\r\\n as the terminal sends it)."""
    master, slave = pty.openpty()
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full_env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + full_env.get("PATH", "")
    full_env["TERM"] = "xterm-256color"
    full_env.update(env or {})
    process = subprocess.Popen(args, cwd=cwd, env=full_env, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], timeout)
        if not ready:
            process.kill()
            raise AssertionError("no output before the timeout")
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the other side is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return process.wait(timeout=timeout), b"".join(chunks).decode("utf-8", "replace")

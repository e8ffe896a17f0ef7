"""Runs AWS CLI commands, each in a process of its own, forked from one that imported the CLI once.

Starting `aws` costs about half a second of CPU before it sends anything, most of it importing
the CLI. `python -m tests.support.aws_cli` imports it once, then, for each command it reads
(one JSON line on stdin: argv after `aws`, and the environment), forks a child that runs
`awscli.clidriver.main()` (what the `aws` executable runs) with that argv and environment, and
writes back one JSON line: the exit code, stdout and stderr. A few children run at once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence


@dataclass(frozen=True)
class Answer:
    exit_code: int
    stdout: str
    stderr: str


def run_all(commands: Sequence[tuple[Sequence[str], Mapping[str, str]]], workers: int = 3,
            timeout: float = 900.0) -> list[Answer]:
    """Each (argv after `aws`, environment) run by the CLI, answers in the order given."""
    lines = "".join(json.dumps({"argv": list(argv), "env": dict(env)}) + "\n" for argv, env in commands)
    finished = subprocess.run([sys.executable, "-m", "tests.support.aws_cli", str(workers)], input=lines,
                              capture_output=True, text=True, timeout=timeout,
                              cwd=Path(__file__).resolve().parents[2])
    if finished.returncode != 0:
        raise RuntimeError(f"the CLI runner failed: {finished.stderr[-2000:]}")
    answers: dict[int, Answer] = {}
    for line in finished.stdout.splitlines():
        record = json.loads(line)
        answers[record["index"]] = Answer(record["exit_code"], record["stdout"], record["stderr"])
    return [answers[index] for index in range(len(commands))]


def run_executable(argv: Sequence[str], env: Mapping[str, str], timeout: float = 120.0) -> Answer:
    """One command through the installed `aws` executable itself."""
    executable = Path(sys.executable).with_name("aws")
    finished = subprocess.run([str(executable), *argv], env=dict(env), capture_output=True, text=True, timeout=timeout)
    return Answer(finished.returncode, finished.stdout, finished.stderr)


def _child(argv: list[str], env: dict, set_by_import: dict, out: Path, err: Path) -> None:
    import awscli.clidriver

    os.environ.clear()
    os.environ.update({**env, **set_by_import})
    for fd, path in ((1, out), (2, err)):
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(handle, fd)
        os.close(handle)
    sys.argv = ["aws", *argv]
    code = 255
    try:
        code = awscli.clidriver.main()
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 255
    except BaseException:
        import traceback
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code if isinstance(code, int) else 255)


def _serve(workers: int) -> None:
    before = dict(os.environ)
    import awscli.clidriver  # noqa: F401  (imported once: every child inherits it)

    # What importing the CLI sets (where its data files are), as the `aws` executable has it.
    set_by_import = {name: value for name, value in os.environ.items() if before.get(name) != value}
    commands = [json.loads(line) for line in sys.stdin if line.strip()]
    running: dict[int, tuple[int, Path, Path]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        pending = list(enumerate(commands))
        while pending or running:
            while pending and len(running) < workers:
                index, command = pending.pop(0)
                out, err = Path(scratch, f"{index}.out"), Path(scratch, f"{index}.err")
                pid = os.fork()
                if pid == 0:
                    _child(command["argv"], command["env"], set_by_import, out, err)
                running[pid] = (index, out, err)
            pid, status = os.wait()
            index, out, err = running.pop(pid)
            record = {"index": index, "exit_code": os.waitstatus_to_exitcode(status),
                      "stdout": out.read_text(errors="replace"), "stderr": err.read_text(errors="replace")}
            sys.stdout.write(json.dumps(record) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    _serve(int(sys.argv[1]) if len(sys.argv) > 1 else 3)

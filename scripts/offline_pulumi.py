"""The Pulumi CLI, offline: the one environment every Pulumi command of this project runs in.

`scripts/example-up`, `scripts/pulumi`, the real-CLI tests and the CLI benchmark all use it:

* state in a file backend inside the project (`.pulumi-local/`), with `PULUMI_HOME` beside it
  (`.pulumi-local/home`) and an empty passphrase unless `PULUMI_CONFIG_PASSPHRASE` is set; all of
  it readable by its owner only (folders 0700, files 0600); or, once `login <backend URL>` has run
  in this environment (a team's shared S3 bucket, say), that backend;
* no update check and no plugin downloads;
* the CLI `scripts/install-pulumi` installed, with the dynamic-provider launcher beside it, and the
  provider host run by this virtualenv's Python.

Commands that run the program (`up`, `preview`) go through the Automation API's inline programs:
the CLI drives the engine and this process serves the program (`__main__.py`) to it, with the
CLI's own rules: `up` applies after a preview and a `yes` at the prompt, or with `--yes` or
`--skip-preview` (without them, and no terminal, it stops as the CLI does); `--stack` names a stack
that exists, and leaves the selected stack selected. Plain
`pulumi up` would need the Python language host, a Go module that is not published as a release;
every other command (`destroy`, `refresh`, `stack output`, `config set`, ...) is the CLI itself.

    python scripts/offline_pulumi.py --pulumi-bin DIR [-C PROJECT] <pulumi arguments>
"""

from __future__ import annotations

import argparse
import json
import os
import runpy
import signal
import sys
from pathlib import Path
from typing import Callable, Mapping, Optional, Sequence

PROGRAM_COMMANDS = {"up": "up", "update": "up", "preview": "preview", "pre": "preview"}
BACKEND_DIR = ".pulumi-local"
BACKEND_COMMANDS = ("login", "logout")
"""Commands that choose the backend themselves: the file backend is not imposed on them."""


def backend_dir(project_dir: Path) -> Path:
    """The project's own file backend."""
    return Path(project_dir).resolve() / BACKEND_DIR


def make_private(backend: Path) -> None:
    """The backend folder and everything in it for its owner alone (folders 0700, files 0600): the
    state holds contacts' secrets, encrypted with a passphrase that is empty unless one is set.
    Files a Pulumi command writes later are private by the umask `main` sets."""
    backend.mkdir(mode=0o700, parents=True, exist_ok=True)
    backend.chmod(0o700)
    for root, folders, files in os.walk(backend):
        for name in folders:
            os.chmod(os.path.join(root, name), 0o700, follow_symlinks=False)
        for name in files:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.chmod(path, os.stat(path).st_mode & 0o700)


def logged_in_backend(project_dir: Path) -> Optional[str]:
    """The backend a `pulumi login` in the project's Pulumi home chose, if any: the CLI records it
    as `current` in that home's `credentials.json`, and `pulumi logout` clears it."""
    try:
        credentials = json.loads((backend_dir(project_dir) / "home" / "credentials.json").read_text())
    except (OSError, ValueError):
        return None
    current = credentials.get("current") if isinstance(credentials, dict) else None
    return current if isinstance(current, str) and current else None


def environment(project_dir: Path, pulumi_bin: Path, python: str = sys.executable,
                base: Mapping[str, str] = os.environ, choose_backend: bool = False) -> dict[str, str]:
    """The environment for a Pulumi command on `project_dir`'s own file backend, or on the backend
    a `pulumi login` chose. `choose_backend`: for `login`/`logout`, which pick the backend."""
    backend = backend_dir(project_dir)
    make_private(backend)
    env = dict(base)
    env.pop("PULUMI_BACKEND_URL", None)
    if not choose_backend and logged_in_backend(project_dir) is None:
        env["PULUMI_BACKEND_URL"] = backend.as_uri()
    env.update({
        "PULUMI_HOME": str(backend / "home"),
        "PULUMI_CONFIG_PASSPHRASE": base.get("PULUMI_CONFIG_PASSPHRASE", ""),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        # The launcher beside the CLI starts `python -m pulumi.dynamic` with this interpreter.
        "PULUMI_PYTHON_CMD": python,
        "PATH": os.pathsep.join([str(Path(pulumi_bin).resolve()), base.get("PATH", "")]),
    })
    env.pop("PULUMI_ACCESS_TOKEN", None)
    return env


def project_program(project_dir: Path) -> Callable[[], None]:
    """An inline program that runs the project's `__main__.py`, as the language host would."""
    main = Path(project_dir).resolve() / "__main__.py"

    def program() -> None:
        runpy.run_path(str(main), run_name="__main__")

    return program


def stack(project_dir: Path, pulumi_bin: Path, stack_name: Optional[str] = None,
          program: Optional[Callable[[], None]] = None, project_settings=None, create: bool = True):
    """The project's stack (the selected one unless named; a named one is created if need be, unless
    not `create`), with `program` as its inline program (the project's `__main__.py` unless given).
    `project_settings` (an `automation.ProjectSettings`) stands in for a `Pulumi.yaml`."""
    from pulumi import automation

    project_dir = Path(project_dir).resolve()
    options = automation.LocalWorkspaceOptions(
        work_dir=str(project_dir), env_vars=environment(project_dir, pulumi_bin), project_settings=project_settings,
        pulumi_command=automation.PulumiCommand(root=str(Path(pulumi_bin).resolve().parent)))
    workspace = automation.LocalWorkspace(work_dir=options.work_dir, env_vars=options.env_vars,
                                          pulumi_command=options.pulumi_command, project_settings=project_settings)
    if stack_name is None:
        current = workspace.stack()
        if current is None:
            raise SystemExit("no stack is selected: run `stack select --create <name>` first, or pass --stack")
        stack_name = current.name
    # A program and a project name (and no work_dir argument) make the stack's program inline.
    choose = automation.create_or_select_stack if create else automation.select_stack
    return choose(stack_name, project_name=workspace.project_settings().name,
                  program=program or project_program(project_dir), opts=options)


def selected_stack_name(project_dir: Path, pulumi_bin: Path) -> Optional[str]:
    """The stack `pulumi stack select` chose for the project, if any."""
    from pulumi import automation

    workspace = automation.LocalWorkspace(
        work_dir=str(Path(project_dir).resolve()), env_vars=environment(project_dir, pulumi_bin),
        pulumi_command=automation.PulumiCommand(root=str(Path(pulumi_bin).resolve().parent)))
    current = workspace.stack()
    return current.name if current is not None else None


def _program_arguments(command: str, argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=f"pulumi {command}", add_help=True,
                                     description="Runs the project's program with the real engine.")
    parser.add_argument("-s", "--stack")
    parser.add_argument("--diff", action="store_true", default=None)
    parser.add_argument("--expect-no-changes", action="store_true", default=None)
    parser.add_argument("-p", "--parallel", type=int)
    parser.add_argument("-t", "--target", action="append")
    parser.add_argument("--target-dependents", action="store_true", default=None)
    parser.add_argument("--replace", action="append")
    parser.add_argument("-r", "--refresh", action="store_true", default=None)
    parser.add_argument("--color")
    parser.add_argument("-m", "--message")
    if PROGRAM_COMMANDS[command] == "preview":
        parser.add_argument("--import-file")
    else:  # as the CLI: an update is previewed and asked for unless --yes or --skip-preview
        parser.add_argument("-y", "--yes", action="store_true")
        parser.add_argument("-f", "--skip-preview", action="store_true")
    parser.add_argument("--non-interactive", action="store_true")
    return parser.parse_args(list(argv))


UNCONFIRMED = "error: --yes or --skip-preview must be passed in to proceed when running in non-interactive mode"
"""The CLI's words when an update is not confirmed and cannot be asked for."""
CONFIRM = "Do you want to perform this update? [yes/no]: "


def run_program_command(project_dir: Path, pulumi_bin: Path, command: str, argv: Sequence[str]) -> int:
    """`up` or `preview` of the project's program, printing the CLI's output as it comes."""
    from pulumi import automation

    args = _program_arguments(command, argv)
    updating = PROGRAM_COMMANDS[command] == "up"
    interactive = not args.non_interactive and sys.stdin.isatty()
    if updating and not (args.yes or args.skip_preview) and not interactive:
        print(UNCONFIRMED, file=sys.stderr)
        return 1
    os.chdir(project_dir)
    if str(project_dir) not in sys.path:
        sys.path.insert(0, str(project_dir))
    # As the CLI's --stack: the stack must exist, and the selected stack stays the selected one.
    previously_selected = selected_stack_name(project_dir, pulumi_bin) if args.stack else None
    try:
        selected = stack(project_dir, pulumi_bin, args.stack, create=False)
    except automation.StackNotFoundError:
        print(f"error: no stack named '{args.stack}' found", file=sys.stderr)
        return 1
    options = dict(diff=args.diff, expect_no_changes=args.expect_no_changes, parallel=args.parallel,
                   target=args.target, target_dependents=args.target_dependents, replace=args.replace,
                   refresh=args.refresh, color=args.color, message=args.message,
                   on_output=lambda line: print(line, flush=True),
                   on_error=lambda line: print(line, file=sys.stderr, flush=True))
    if not updating:
        options["import_file"] = args.import_file
    # Ctrl-C reaches the CLI too (same process group), and the CLI cancels the update cleanly:
    # this process only has to outlive it and pass on its exit status.
    signal.signal(signal.SIGINT, lambda *_: None)
    given = {name: value for name, value in options.items() if value is not None}
    try:
        if updating and not (args.yes or args.skip_preview):  # previewed, then asked for, as the CLI does
            selected.preview(**{name: value for name, value in given.items() if name != "expect_no_changes"})
            if input(CONFIRM).strip().lower() not in ("yes", "y"):
                print("confirmation declined, not proceeding with the update", file=sys.stderr)
                return 1
        (selected.up if updating else selected.preview)(**given)
    except automation.CommandError:
        return 1  # the CLI has printed why
    finally:
        if previously_selected not in (None, args.stack):
            selected.workspace.select_stack(previously_selected)
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pulumi-bin", required=True, type=Path, help="the folder of the pulumi CLI")
    parser.add_argument("-C", "--cwd", type=Path, default=Path.cwd(), help="the project folder")
    parser.add_argument("arguments", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    os.umask(0o077)  # what the CLI writes under the backend (state, backups, locks) is the owner's alone
    project_dir = args.cwd.resolve()
    if args.arguments and args.arguments[0] in PROGRAM_COMMANDS:
        return run_program_command(project_dir, args.pulumi_bin, args.arguments[0], args.arguments[1:])
    cli = str(args.pulumi_bin.resolve() / "pulumi")
    os.chdir(project_dir)
    choose_backend = bool(args.arguments) and args.arguments[0] in BACKEND_COMMANDS
    os.execve(cli, [cli, *args.arguments], environment(project_dir, args.pulumi_bin, choose_backend=choose_backend))


if __name__ == "__main__":
    sys.exit(main())

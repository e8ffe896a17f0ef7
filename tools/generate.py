"""`python -m tools.generate`: rewrites every generated file (the typed face in the package, the
facts of the model a program reads, the README's property table and IAM policy, the plugin's
package schema) from the field table and botocore's model. `--check` rewrites nothing and fails, naming them, when any is stale."""

from __future__ import annotations

import sys
from pathlib import Path

from . import argument_facts, docs, pulumi_schema, typegen


def rendered() -> dict[Path, str]:
    return {**typegen.rendered(), **argument_facts.rendered(), **docs.rendered(), **pulumi_schema.rendered()}


def stale() -> list[Path]:
    return [path for path, text in rendered().items() if not path.is_file() or path.read_text() != text]


def main(argv: list[str]) -> int:
    if "--check" in argv:
        paths = stale()
        for path in paths:
            print(f"stale: {path.name}; run {docs.COMMAND}", file=sys.stderr)
        return 1 if paths else 0
    for path, text in rendered().items():
        if not path.is_file() or path.read_text() != text:
            path.write_text(text)
            print(f"rewrote {path.name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

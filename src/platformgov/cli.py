"""Command line: ``python -m platformgov COMMAND``.

Each command lives in its own module, which provides ``add_arguments(parser)`` and
``run(args) -> int`` (the exit status).
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = {
    "registry": (
        "platformgov.inputs.registry_build",
        "rebuild the 2022 registry of local governments",
    ),
    "synth": ("platformgov.inputs.synthetic", "write the synthetic survey files"),
    "validate": ("platformgov.inputs.survey.command", "check survey files against the codebook"),
    "export": (
        "platformgov.analysis.export",
        "write the replication package (analysis and coefficients)",
    ),
    "build": ("platformgov.site.build", "build both editions of the book and assemble the site"),
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = argparse.ArgumentParser(prog="platformgov", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (module_name, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        # Only the chosen command's module is imported: the others may need heavy packages.
        if argv and argv[0] == name:
            module = importlib.import_module(module_name)
            module.add_arguments(p)
            p.set_defaults(_run=module.run)
    args = parser.parse_args(argv)
    return int(args._run(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

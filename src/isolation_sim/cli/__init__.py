"""The command line: ``isolation-sim run``, ``describe``, ``validate``, ``calibrate``,
``compare``, ``sweep``, ``analyse`` and ``app``.

Bad input never ends in a traceback: the message names the file, the key or the option,
the value and what is allowed, and the exit status is 2.
"""

from __future__ import annotations

from ..errors import ScenarioError
from ..executors import WorkerDied
from . import commands
from .arguments import parser
from .console import EXIT_BAD_INPUT, error, errors


def main(argv: list[str] | None = None) -> int:
    """Run the command ``argv`` (``sys.argv`` when not given); its exit status."""
    try:
        args = parser(commands).parse_args(argv)
    except SystemExit as stop:  # argparse said why (or printed --help)
        return int(stop.code or 0)
    try:
        return args.handler(args)
    except ScenarioError as exc:
        error(str(exc))
        return EXIT_BAD_INPUT
    except WorkerDied as exc:
        error(f"{exc}; nothing was written")
        return 1
    except KeyboardInterrupt:
        errors.print("interrupted: nothing was written")
        return 130
    except OSError as exc:  # a disk that fills up, a folder taken away while writing
        error(f"{exc.strerror or exc}: {exc.filename or ''}; nothing was written")
        return 1

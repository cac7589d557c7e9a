"""Entry point of the console bundle: the whole `invoicer` command, the terminal UI included."""

import sys


def started_by_multiprocessing() -> bool:
    """A PDF batch's worker (`--multiprocessing-fork`) or helper (`-c "from multiprocessing…"`),
    as the spawn start method (Windows, macOS) runs them. Only then is multiprocessing
    imported: every other start stays fast. A stray `-c` only costs that import."""
    return sys.argv[1:2] == ["--multiprocessing-fork"] or "-c" in sys.argv[1:]


if __name__ == "__main__":
    if started_by_multiprocessing():
        import multiprocessing

        multiprocessing.freeze_support()  # runs the worker or helper and exits
    from invoicer.cli import main

    main()

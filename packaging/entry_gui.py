"""Entry point of the desktop bundle: opens the window (`invoicer gui`)."""

import sys

from entry_cli import started_by_multiprocessing

if __name__ == "__main__":
    if started_by_multiprocessing():
        import multiprocessing

        multiprocessing.freeze_support()  # runs the worker or helper and exits
    from invoicer.cli import main

    main(["gui", *sys.argv[1:]])

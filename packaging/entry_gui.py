"""Entry point of the desktop bundle: opens the window (`invoicer gui`)."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from invoicer.cli import main

    main(["gui", *sys.argv[1:]])

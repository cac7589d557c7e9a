"""Entry point of the console bundle: the whole `invoicer` command, the terminal UI included."""

import multiprocessing

if __name__ == "__main__":
    multiprocessing.freeze_support()  # PDF batches use worker processes
    from invoicer.cli import main

    main()

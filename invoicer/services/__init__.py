"""Use cases: the only API the front-ends (CLI, TUI, GUI) call."""

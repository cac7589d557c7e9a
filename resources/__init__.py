"""Bundled data files. Not code: see invoicer.resources for how to read them."""

"""The remote API server (`invoicer serve`, DESIGN.md §10): empty until it is built.

It exists now so the layering contract (pyproject.toml) can forbid invoicer.services from
importing it: import-linter refuses contracts that name a missing module.
"""

"""Invoicer: local-first invoicing for small merchants.

Kept import-free on purpose: `invoicer --help` must not pay for SQLAlchemy, Qt or
Textual. Import the submodule you need.
"""

__version__ = "0.1.0"

"""Recurring invoices (issue 22, docs/recurring.md): templates (templates.py), the catch-up
that makes every period due since the last run (catch_up.py) and what they hand back
(views.py)."""

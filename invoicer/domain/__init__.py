"""Pure domain logic: money, totals, VAT rules, numbering, states. No I/O, no database."""

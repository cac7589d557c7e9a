"""Sync between a shop's devices through its server (DESIGN.md §11, docs/sync.md): the wire
format (protocol.py), the server's log (server_log.py), a device's engine (client.py) and
the per-field merge's conflicts (conflicts.py). The HTTP transport lives in invoicer/sync."""

"""The API's routes, one module per resource; each route is parsing, one service call and
serialising (DESIGN.md §10)."""

"""CSV import (all rows or none), JSON export of everything, and online backups."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from sqlalchemy import select

from invoicer.domain.errors import Problem, ValidationError
from invoicer.services import customers as customers_module
from invoicer.services import products as products_module
from invoicer.services import views
from invoicer.services.app import Services
from invoicer.store import audit, schema
from invoicer.store.database import backup_file
from invoicer.store.event_state import row_state

_KINDS = {
    "customers": (customers_module.FIELDS, schema.Customer, "customer"),
    "products": (products_module.FIELDS, schema.Product, "product"),
}
_BOOLEAN_COLUMNS = {"is_business", "art59_service"}


def read_csv(text: str) -> list[dict[str, Any]]:
    """Rows of a CSV with a header line; empty cells are left out."""
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    rows = []
    for row in reader:
        if None in row:
            raise ValidationError.single(
                f"line {reader.line_num}",
                "too_many_cells",
                "This row has more cells than the header.",
            )
        rows.append({k.strip(): v.strip() for k, v in row.items() if k and v and v.strip()})
    if reader.fieldnames is None:
        raise ValidationError.single("file", "empty", "The file is empty; it needs a header line.")
    return rows


def import_csv(svc: Services, kind: str, text: str) -> int:
    """Add every row, or none: each bad row is reported by line number and field."""
    fields, model, entity = _KINDS[kind]
    check: Any = (
        (lambda row: svc.customers._check(row, required=True))
        if kind == "customers"
        else svc.products._check
    )
    header_problems = []
    rows = read_csv(text)
    if not rows:
        raise ValidationError.single("file", "empty", "The file has no rows to import.")
    unknown = sorted({key for row in rows for key in row} - set(fields))
    for key in unknown:
        header_problems.append(
            Problem(
                "header", "unknown_column", f"Unknown column {key!r}; known: {', '.join(fields)}."
            )
        )
    if header_problems:
        raise ValidationError(header_problems)
    problems: list[Problem] = []
    cleaned: list[dict[str, Any]] = []
    for line, row in enumerate(rows, start=2):
        for key in _BOOLEAN_COLUMNS & set(row):
            row[key] = {
                "yes": True,
                "true": True,
                "1": True,
                "no": False,
                "false": False,
                "0": False,
            }.get(row[key].lower(), row[key])
        try:
            cleaned.append(check(row))
        except ValidationError as exc:
            problems += [Problem(f"line {line} {p.field}", p.code, p.message) for p in exc.problems]
    if problems:
        raise ValidationError(problems)
    with svc.write() as session:
        for clean in cleaned:
            row_obj: Any = model(**clean)
            session.add(row_obj)
            session.flush()
            audit.append(
                session, f"{entity}.import", entity, row_obj.id, {"row": row_state(row_obj)}
            )
    return len(cleaned)


def export_all(svc: Services) -> dict[str, Any]:
    """Everything in the database, as plain values (for `invoicer export`)."""
    shop = svc.shop.get()
    with svc.read() as session:
        invoice_ids = list(
            session.execute(select(schema.Invoice.id).order_by(schema.Invoice.created_at)).scalars()
        )
    customers = _all_pages(svc.customers.list)
    products = _all_pages(svc.products.list)
    invoices = [svc.invoices.get(i) for i in invoice_ids]
    payments = [p for i in invoice_ids for p in svc.payments.list(i)]
    return {
        "format": "invoicer-export-1",
        "shop": shop,
        "customers": customers,
        "products": products,
        "invoices": invoices,
        "payments": payments,
    }


def _all_pages(list_call: Any) -> list[Any]:
    items: list[Any] = []
    offset = 0
    while True:
        page = list_call(include_archived=True, offset=offset, limit=500)
        items += page.items
        offset += len(page.items)
        if not page.items or offset >= page.total:
            return items


def backup(svc: Services, target: Path) -> Path:
    """A consistent copy via SQLite's online backup (safe while other processes write).

    A damaged file is never copied (SQLite's quick_check runs first, and again on the copy),
    so a good backup is never followed, or replaced, by a bad one. Each good copy is noted in
    the backup log, so that a damaged file's message can point to the newest.
    """
    from invoicer.services.paths import backup_log
    from invoicer.store.backups import record_backup
    from invoicer.store.file_checks import damaged, integrity_problems

    target = target.expanduser()
    svc.db.check_integrity()
    if target.exists():
        raise ValidationError.single(
            "file", "exists", f"{target} already exists; choose a new name."
        )
    if not target.parent.is_dir():
        raise ValidationError.single("file", "no_folder", f"Folder {target.parent} does not exist.")
    backup_file(svc.path, target)
    problems = integrity_problems(target)
    if problems:  # damaged while being read: keep no bad copy
        target.unlink()
        raise damaged(svc.path, problems[0], backup_log())
    record_backup(backup_log(), svc.path, target)
    return target


def restore(database: Path, source: Path, *, force: bool = False) -> views.Restored:
    """Put the backup `source` in place of the database file (see store/backups.py)."""
    from invoicer.store.backups import restore_backup

    kept = restore_backup(database, source, force=force)
    return views.Restored(database=database, backup=source, kept_as=kept)

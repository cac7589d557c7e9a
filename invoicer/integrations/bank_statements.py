"""Bank statements in: CAMT.053 (ISO 20022 XML, what EU banks export) and a simple CSV.

CSV columns (a header line is required; `;` or `,` separated; the column names below, in any
order; extra columns are ignored):

    date        booking date, YYYY-MM-DD or DD-MM-YYYY
    amount      signed decimal, read like every amount a user types
                (invoicer.domain.amounts.parse_amount): "." or "," as decimal mark,
                thousands grouped with the other; 1.234 and 1,234 are refused as ambiguous
                (credits are the positive amounts)
    currency    ISO 4217 code (default EUR)
    name        the payer's name
    iban        the payer's IBAN
    reference   structured creditor reference (RF...), if any
    description free remittance text
    id          the bank's id of the entry (optional; otherwise a hash of the row is used)
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from decimal import Decimal, InvalidOperation

from invoicer.domain.amounts import DEFAULT_LOCALE, parse_amount
from invoicer.domain.errors import Problem, ValidationError
from invoicer.domain.payments.matching import Credit

CSV_COLUMNS = ("date", "amount", "currency", "name", "iban", "reference", "description", "id")


def parse_statement(data: bytes, *, locale: str = DEFAULT_LOCALE) -> list[Credit]:
    """Credits (incoming amounts) of a CAMT.053 or CSV statement; debits are left out.

    `locale` (the user's) words the message about an ambiguous CSV amount."""
    head = data.lstrip()[:200]
    if head.startswith(b"<") or b"camt.053" in head:
        return parse_camt053(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    if _binary(text):
        raise ValidationError.single(
            "file",
            "not_a_statement",
            "The file is not a bank statement: it is neither CAMT.053 XML nor CSV text "
            "(it holds binary data).",
        )
    try:
        return parse_csv(text, locale=locale)
    except csv.Error as exc:
        raise ValidationError.single(
            "file", "not_csv", f"The statement is not a readable CSV file ({exc})."
        ) from None


def _binary(text: str) -> bool:
    """C0 control characters other than tab and line ends: a binary file, not a text one
    (the C1 range stays allowed: a Windows-1252 file read as Latin-1 has its euro signs there)."""
    sample = text[:8192]
    return any(ord(ch) < 32 and ch not in "\t\r\n" for ch in sample)


def _entry_id(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]


def parse_camt053(data: bytes) -> list[Credit]:
    from lxml import etree

    try:
        root = etree.fromstring(
            data, parser=etree.XMLParser(resolve_entities=False, no_network=True)
        )
    except etree.XMLSyntaxError as exc:
        raise ValidationError.single(
            "file", "not_xml", f"The statement is not XML: {exc}."
        ) from None
    ns = {"c": etree.QName(root).namespace or ""}
    if "camt.053" not in ns["c"]:
        raise ValidationError.single(
            "file", "not_camt053", "The XML is not a CAMT.053 bank statement."
        )
    found: list[Credit] = []
    for stmt in root.iterfind(".//c:Stmt", ns):
        account = stmt.findtext("c:Acct/c:Id/c:IBAN", default="", namespaces=ns)
        for entry in stmt.iterfind("c:Ntry", ns):
            if entry.findtext("c:CdtDbtInd", namespaces=ns) != "CRDT":
                continue
            status = entry.findtext("c:Sts/c:Cd", namespaces=ns) or entry.findtext(
                "c:Sts", namespaces=ns
            )
            if status not in (None, "", "BOOK"):
                continue  # pending entries are booked when they are final
            amount_el = entry.find("c:Amt", ns)
            booked = (
                entry.findtext("c:BookgDt/c:Dt", namespaces=ns)
                or entry.findtext("c:BookgDt/c:DtTm", namespaces=ns)
                or ""
            )[:10]
            details = entry.findall("c:NtryDtls/c:TxDtls", ns) or [entry]
            for index, tx in enumerate(details):
                tx_amount = tx.find("c:Amt", ns)
                amount = tx_amount if tx_amount is not None else amount_el
                name = tx.findtext(
                    "c:RltdPties/c:Dbtr/c:Nm", default="", namespaces=ns
                ) or tx.findtext("c:RltdPties/c:Dbtr/c:Pty/c:Nm", default="", namespaces=ns)
                iban = tx.findtext("c:RltdPties/c:DbtrAcct/c:Id/c:IBAN", default="", namespaces=ns)
                reference = tx.findtext(
                    "c:RmtInf/c:Strd/c:CdtrRefInf/c:Ref", default="", namespaces=ns
                )
                text = " ".join((e.text or "").strip() for e in tx.findall("c:RmtInf/c:Ustrd", ns))
                bank_ref = (
                    entry.findtext("c:AcctSvcrRef", namespaces=ns)
                    or tx.findtext("c:Refs/c:AcctSvcrRef", namespaces=ns)
                    or tx.findtext("c:Refs/c:EndToEndId", namespaces=ns)
                )
                try:
                    value = Decimal((amount.text or "").strip())
                    day = dt.date.fromisoformat(booked)
                except (InvalidOperation, ValueError, AttributeError):
                    raise ValidationError.single(
                        "file",
                        "bad_entry",
                        f"A statement entry has no valid amount or date ({booked}).",
                    ) from None
                entry_id = (
                    f"{account}:{bank_ref}:{index}"
                    if bank_ref
                    else _entry_id(account, booked, value, name, iban, reference, text, index)
                )
                found.append(
                    Credit(
                        entry_id,
                        day,
                        value,
                        amount.get("Ccy", "EUR"),
                        name.strip(),
                        iban.strip(),
                        reference.strip(),
                        text.strip(),
                    )
                )
    return found


def _csv_date(text: str) -> dt.date:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_csv(text: str, *, locale: str = DEFAULT_LOCALE) -> list[Credit]:
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    if reader.fieldnames is None:
        raise ValidationError.single("file", "empty", "The statement is empty.")
    header = {name.strip().lower(): name for name in reader.fieldnames if name}
    missing = [c for c in ("date", "amount") if c not in header]
    if missing:
        raise ValidationError.single(
            "header",
            "missing_column",
            f"The CSV needs the columns date and amount (found: {', '.join(header)}).",
        )
    problems: list[Problem] = []
    found: list[Credit] = []
    for row in reader:
        line = reader.line_num

        def get(column: str, row: dict[str, str] = row) -> str:
            key = header.get(column)
            return (row.get(key) or "").strip() if key else ""

        try:
            day = _csv_date(get("date"))
        except ValueError:
            problems.append(
                Problem(f"line {line} date", "invalid_date", f"{get('date')!r} is not a date.")
            )
            continue
        try:
            amount = parse_amount(get("amount"), locale=locale, field=f"line {line} amount")
        except ValidationError as exc:
            problems.extend(exc.problems)
            continue
        if amount <= 0:
            continue  # a debit: not a payment received
        entry_id = get("id") or _entry_id(
            day, amount, get("name"), get("iban"), get("reference"), get("description")
        )
        found.append(
            Credit(
                entry_id,
                day,
                amount,
                (get("currency") or "EUR").upper(),
                get("name"),
                get("iban"),
                get("reference"),
                get("description"),
            )
        )
    if problems:
        raise ValidationError(problems)
    return found

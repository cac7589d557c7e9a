"""The parts of an invoice page, top to bottom (used by pdf.py)."""

from __future__ import annotations

import contextlib
import io
from typing import Any

from invoicer.documents import rows
from invoicer.documents.i18n import Labels
from invoicer.documents.model import DocumentKind, InvoiceDocument, PaymentStatement, VatCategory
from invoicer.documents.payment_codes import epc_payload, qr_image
from invoicer.domain.payments.reference import rf_reference

INK = (33, 37, 41)
MUTED = (108, 117, 125)
ACCENT = (31, 78, 140)
RULE = (206, 212, 218)
FONT = "DejaVu"


def _text(pdf: Any, size: float, bold: bool = False, color: tuple[int, int, int] = INK) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*color)


TITLES = {
    DocumentKind.INVOICE: "Invoice",
    DocumentKind.CREDIT_NOTE: "Credit note",
    DocumentKind.QUOTE: "Quote",
}


def letterhead(
    pdf: Any, doc: InvoiceDocument, t: Labels, clean: Any, title: str | None = None
) -> None:
    top = pdf.get_y()
    if doc.logo is not None:
        with contextlib.suppress(Exception):
            pdf.image(
                io.BytesIO(doc.logo.data), x=pdf.l_margin, y=top, h=18, keep_aspect_ratio=True
            )
    seller = doc.seller
    lines = [seller.name, *seller.address_lines, t.country(seller.country)]
    if seller.vat_number:  # Art. 226(3), where the seller is named, not only in the footer
        lines.append(f"{t('VAT number')} {seller.vat_number}")
    contact = [v for v in (seller.phone, seller.email, seller.website) if v]
    _text(pdf, 11, bold=True, color=ACCENT)
    pdf.set_xy(pdf.w - pdf.r_margin - 80, top)
    _block(pdf, 80, 5, clean(lines[0]), align="R", new_x="LEFT", new_y="NEXT")
    _text(pdf, 8.5, color=MUTED)
    _block(pdf, 80, 4, clean("\n".join(lines[1:] + contact)), align="R", new_x="LEFT", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + 20) + 6)
    title = title or t(TITLES[doc.kind])
    _text(pdf, 20, bold=True)
    pdf.cell(0, 10, clean(f"{title}  {doc.number}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def parties(pdf: Any, doc: InvoiceDocument, t: Labels, clean: Any) -> None:
    top = pdf.get_y()
    buyer = doc.buyer
    _text(pdf, 8, bold=True, color=MUTED)
    pdf.cell(
        90, 5, t("Quote for" if doc.is_quote else "Bill to").upper(), new_x="LEFT", new_y="NEXT"
    )
    _text(pdf, 10, bold=True)
    _block(pdf, 90, 5, clean(buyer.name), new_x="LEFT", new_y="NEXT")
    _text(pdf, 9)
    address = [*buyer.address_lines, t.country(buyer.country) if buyer.country else ""]
    _block(pdf, 90, 4.6, clean("\n".join(a for a in address if a)), new_x="LEFT", new_y="NEXT")
    if buyer.vat_number:
        pdf.cell(90, 5, clean(f"{t('VAT number')}: {buyer.vat_number}"), new_x="LEFT", new_y="NEXT")
    left_bottom = pdf.get_y()
    meta: list[tuple[str, str]] = [
        (t("Number"), doc.number),
        (t("Date"), t.date(doc.issue_date)),
    ]
    if doc.supply_period:
        start, end = doc.supply_period
        meta.append((t("Period"), f"{t.date(start)} – {t.date(end)}"))
    elif doc.supply_date and doc.supply_date != doc.issue_date:
        meta.append((t("Supply date"), t.date(doc.supply_date)))
    if doc.due_date and doc.kind is DocumentKind.INVOICE:
        meta.append((t("Due date"), t.date(doc.due_date)))
    if doc.valid_until:
        meta.append((t("Valid until"), t.date(doc.valid_until)))
    if doc.buyer_reference:
        meta.append((t("Your reference"), doc.buyer_reference))
    if doc.delivery_country:
        meta.append((t("Deliver to country"), t.country(doc.delivery_country)))
    x = pdf.w - pdf.r_margin - 80
    pdf.set_xy(x, top)
    for label, value in meta:
        _text(pdf, 8.5, color=MUTED)
        pdf.cell(32, 5.2, clean(label))
        _text(pdf, 9, bold=label == t("Number"))
        pdf.cell(48, 5.2, clean(value), align="R", new_x="LEFT", new_y="NEXT")
        pdf.set_x(x)
    pdf.set_y(max(left_bottom, pdf.get_y()) + 4)
    if doc.original_invoice_number:
        _text(pdf, 9, bold=True, color=ACCENT)
        when = t.date(doc.original_invoice_date) if doc.original_invoice_date else "–"
        _block(
            pdf,
            0,
            5,
            clean(
                t(
                    "This credit note corrects invoice {number} of {date}.",
                    number=doc.original_invoice_number,
                    date=when,
                )
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(1)


LINES_TABLE = rows.Style(
    widths=(84, 20, 26, 14, 30),
    align=("L", "R", "R", "R", "R"),
    size=8.5,
    line_height=5.2,
    padding=(1.2, 1.5, 1.2, 1.5),
    color=INK,
    rule=RULE,
    heading_color=MUTED,
    heading_fill=(241, 243, 245),
    repeat_heading=True,
)
VAT_TABLE = rows.Style(
    widths=(24, 40, 32),
    align=("L", "R", "R"),
    size=8.5,
    line_height=5,
    padding=(1, 1.5, 1, 1.5),
    color=INK,
    rule=RULE,
    heading_color=MUTED,
)


def lines_table(pdf: Any, doc: InvoiceDocument, t: Labels, clean: Any) -> None:
    heading = [t("Description"), t("Quantity"), t("Unit price"), t("VAT"), t("Amount")]
    body = []
    for line in doc.lines:
        description = line.description + (f"\n{line.note}" if line.note else "")
        rate = (
            t.percent(line.rate)
            if line.category in (VatCategory.STANDARD, VatCategory.ZERO)
            else line.category.value
        )
        body.append(
            [
                clean(description),
                t.number(line.quantity),
                t.price_money(line.unit_price, doc.currency),
                rate,
                t.money(line.net_minor, doc.currency),
            ]
        )
    rows.draw(pdf, LINES_TABLE, heading, body)
    pdf.ln(3)


def vat_and_totals(pdf: Any, doc: InvoiceDocument, t: Labels, clean: Any) -> None:
    cur = doc.currency
    if pdf.will_page_break(40):
        pdf.add_page()
    top = pdf.get_y()
    body = []
    for group in doc.vat_groups:
        label = t.percent(group.rate)
        if group.category not in (VatCategory.STANDARD, VatCategory.ZERO):
            # AE, K, G, E: the category with its 0 %; O has no rate at all (BR-O-05).
            outside = group.category is VatCategory.OUTSIDE_SCOPE
            label = group.category.value + ("" if outside else f" {label}")
        body.append([label, t.money(group.taxable_minor, cur), t.money(group.tax_minor, cur)])
    rows.draw(pdf, VAT_TABLE, [t("VAT rate"), t("Taxable amount"), t("VAT amount")], body)
    for group in doc.vat_groups:
        if group.exemption_text:
            _text(pdf, 8, color=MUTED)
            # The legal wording only: the VATEX code is for the e-invoice, not for people.
            _block(
                pdf,
                96,
                4.2,
                clean(f"{group.category.value}: {group.exemption_text}"),
                align="L",
                new_x="LMARGIN",
                new_y="NEXT",
            )
    left_bottom = pdf.get_y()
    totals = doc.totals
    total_rows = [
        (t("Total excl. VAT"), t.money(totals.net_minor, cur), False),
        (t("Total VAT"), t.money(totals.vat_minor, cur), False),
        (t("Total"), t.money(totals.gross_minor, cur), True),
    ]
    if totals.paid_minor and doc.kind is DocumentKind.INVOICE:
        total_rows.append((t("Paid"), t.money(-totals.paid_minor, cur), False))
        label = t("Amount due") if totals.due_minor >= 0 else t("Refund due")
        total_rows.append((label, t.money(abs(totals.due_minor), cur), True))
    x = pdf.w - pdf.r_margin - 70
    pdf.set_xy(x, top)
    for label, value, strong in total_rows:
        _text(pdf, 10 if strong else 9, bold=strong)
        if strong:
            pdf.set_draw_color(*INK)
            pdf.line(x, pdf.get_y(), x + 70, pdf.get_y())
        pdf.cell(35, 6.5, clean(label))
        pdf.cell(35, 6.5, value, align="R", new_x="LEFT", new_y="NEXT")
        pdf.set_x(x)
    if doc.accounting_currency and doc.vat_total_accounting_minor is not None:
        _text(pdf, 8, color=MUTED)
        amount = t.money(doc.vat_total_accounting_minor, doc.accounting_currency)
        _block(
            pdf,
            70,
            4.2,
            t("VAT total in {currency}: {amount}", currency=doc.accounting_currency, amount=amount),
            align="R",
            new_x="LEFT",
            new_y="NEXT",
        )
    pdf.set_y(max(left_bottom, pdf.get_y()) + 5)


def notes(pdf: Any, doc: InvoiceDocument, t: Labels, clean: Any) -> None:
    texts = [n for n in doc.notes if n]
    if doc.payment_terms:
        texts.append(doc.payment_terms)
    for label, value in doc.extra:
        texts.append(f"{label}: {value}")
    if not texts:
        return
    _text(pdf, 8, bold=True, color=MUTED)
    pdf.cell(0, 5, t("Notes").upper(), new_x="LMARGIN", new_y="NEXT")
    _text(pdf, 9)
    _block(pdf, 0, 4.6, clean("\n".join(texts)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def payment(pdf: Any, doc: InvoiceDocument, t: Labels, clean: Any) -> None:
    if doc.kind is not DocumentKind.INVOICE:  # a credit note or a quote asks for nothing
        return
    due = doc.totals.due_minor
    if due <= 0:
        if doc.totals.paid_minor:  # only a payment statement knows of payments
            _paid_stamp(pdf, doc, t, clean)
        return
    if pdf.will_page_break(48):
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_draw_color(*RULE)
    pdf.line(pdf.l_margin, top, pdf.w - pdf.r_margin, top)
    pdf.set_y(top + 3)
    _text(pdf, 8, bold=True, color=MUTED)
    pdf.cell(0, 5, t("Payment").upper(), new_x="LMARGIN", new_y="NEXT")
    amount = t.money(due, doc.currency)
    qr_x = pdf.w - pdf.r_margin - 34
    if doc.bank is not None:
        reference = rf_reference(doc.number)
        when = t.date(doc.due_date) if doc.due_date else ""
        _text(pdf, 9)
        _block(
            pdf,
            qr_x - pdf.l_margin - 40,
            4.8,
            clean(t("Please transfer {amount} by {date} to:", amount=amount, date=when)),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        rows = [
            (t("Account holder"), doc.bank.holder or doc.seller.name),
            ("IBAN", _group(doc.bank.iban)),
            ("BIC", doc.bank.bic or ""),
            (t("Payment reference"), reference),
        ]
        for label, value in rows:
            if not value:
                continue
            _text(pdf, 8.5, color=MUTED)
            pdf.cell(38, 5, clean(label))
            _text(pdf, 9, bold=label in ("IBAN", t("Payment reference")))
            pdf.cell(70, 5, clean(value), new_x="LMARGIN", new_y="NEXT")
        if doc.currency == "EUR":
            payload = epc_payload(
                name=doc.bank.holder or doc.seller.name,
                iban=doc.bank.iban,
                amount=doc_amount(doc),
                reference=reference,
                bic=doc.bank.bic,
            )
            pdf.image(qr_image(payload), x=qr_x, y=top + 4, w=32, h=32)
            _text(pdf, 6.5, color=MUTED)
            pdf.set_xy(qr_x - 4, top + 36.5)
            pdf.cell(40, 3, t("Scan with your banking app"), align="C")
            pdf.set_y(max(pdf.get_y() + 6, top + 42))
    slots = []
    if doc.card_payment_url:
        slots.append((t("Pay by card"), doc.card_payment_url, doc.card_payment_url))
    if doc.crypto_payment is not None:
        slots.append((t("Pay with crypto"), doc.crypto_payment.text, doc.crypto_payment.uri))
    for title, text, data in slots:
        if pdf.will_page_break(34):
            pdf.add_page()
        y = pdf.get_y() + 2
        pdf.image(qr_image(data), x=pdf.l_margin, y=y, w=26, h=26)
        pdf.set_xy(pdf.l_margin + 30, y + 2)
        _text(pdf, 9, bold=True)
        pdf.cell(0, 5, clean(title), new_x="LEFT", new_y="NEXT")
        _text(pdf, 8.5, color=ACCENT)
        pdf.multi_cell(
            pdf.w - pdf.r_margin - pdf.l_margin - 30,
            4.4,
            clean(text),
            link=data if data.startswith("http") else None,
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_y(y + 29)


def doc_amount(doc: InvoiceDocument) -> Any:
    from decimal import Decimal

    return (Decimal(doc.totals.due_minor) / 100).quantize(Decimal("0.01"))


def _paid_stamp(pdf: Any, doc: InvoiceDocument, t: Labels, clean: Any) -> None:
    _text(pdf, 16, bold=True, color=(25, 135, 84))
    pdf.cell(0, 9, t("PAID"), new_x="LMARGIN", new_y="NEXT")
    _text(pdf, 9)
    message = (
        t("Paid in full. Payment reference: {reference}", reference=doc.paid_reference)
        if doc.paid_reference
        else t("Paid in full. Thank you.")
    )
    _block(pdf, 0, 4.8, clean(message), new_x="LMARGIN", new_y="NEXT")


STATEMENT_TABLE = rows.Style(
    widths=(30, 110, 34),
    align=("L", "L", "R"),
    size=8.5,
    line_height=5.2,
    padding=(1.2, 1.5, 1.2, 1.5),
    color=INK,
    rule=RULE,
    heading_color=MUTED,
    heading_fill=(241, 243, 245),
    repeat_heading=True,
)


def statement_summary(pdf: Any, statement: PaymentStatement, t: Labels, clean: Any) -> None:
    """The statement's parties, what it refers to, and the invoice's account: its total,
    each payment, the credits, and the balance on the statement date."""
    doc = statement.invoice
    cur = doc.currency
    _text(pdf, 8, bold=True, color=MUTED)
    pdf.cell(
        90, 5, t("Quote for" if doc.is_quote else "Bill to").upper(), new_x="LEFT", new_y="NEXT"
    )
    _text(pdf, 10, bold=True)
    _block(pdf, 90, 5, clean(doc.buyer.name), new_x="LMARGIN", new_y="NEXT")
    _text(pdf, 9)
    meta = [(t("Statement date"), t.date(statement.as_of)), (t("Invoice"), doc.number)]
    if doc.due_date:
        meta.append((t("Due date"), t.date(doc.due_date)))
    for label, value in meta:
        _text(pdf, 8.5, color=MUTED)
        pdf.cell(32, 5.2, clean(label))
        _text(pdf, 9)
        pdf.cell(60, 5.2, clean(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _text(pdf, 9, bold=True, color=ACCENT)
    note = t(
        "This statement is not an invoice; the invoice is {number} of {date}.",
        number=doc.number,
        date=t.date(doc.issue_date),
    )
    _block(pdf, 0, 5, clean(note), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    body = [[t.date(doc.issue_date), clean(f"{t('Invoice')} {doc.number}"),
             t.money(doc.totals.gross_minor, cur)]]  # fmt: skip
    for entry in statement.payments:
        text = t("Payment") + (f" ({entry.reference})" if entry.reference else "")
        body.append([t.date(entry.date), clean(text), t.money(-entry.amount_minor, cur)])
    if statement.credited_minor:
        body.append(["", t("Credited"), t.money(-statement.credited_minor, cur)])
    rows.draw(pdf, STATEMENT_TABLE, [t("Date"), t("Description"), t("Amount")], body)
    due = doc.totals.due_minor
    label = t("Amount due") if due >= 0 else t("Refund due")
    _text(pdf, 10, bold=True)
    x = pdf.w - pdf.r_margin - 70
    pdf.set_x(x)
    pdf.cell(35, 7, clean(label))
    pdf.cell(35, 7, t.money(abs(due), cur), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def footer(pdf: Any, doc: InvoiceDocument, t: Labels, clean: Any) -> None:
    pdf.set_y(-16)
    pdf.set_draw_color(*RULE)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    seller = doc.seller
    parts = [seller.name]
    if seller.vat_number:
        parts.append(f"{t('VAT number')} {seller.vat_number}")
    if seller.registration_id:
        parts.append(f"{t('Registration number')} {seller.registration_id}")
    if doc.bank is not None:
        parts.append(f"IBAN {_group(doc.bank.iban)}")
    _text(pdf, 7.5, color=MUTED)
    pdf.cell(0, 4, clean(" · ".join(parts)), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(
        0,
        4,
        f"{doc.number} · " + t("Page {page} of {pages}", page=pdf.page_no(), pages="{nb}"),
        align="R",
    )


def _block(
    pdf: Any,
    w: float,
    h: float,
    text: str,
    align: str = "J",
    new_x: str = "RIGHT",
    new_y: str = "NEXT",
) -> None:
    """multi_cell() for text whose lines mostly fit: a line that fits is drawn with cell(),
    skipping fpdf2's line breaker (a fifth of an invoice's rendering time); a line that
    needs breaking goes through multi_cell. Same positions as multi_cell(new_y="NEXT")."""
    if not text or new_y != "NEXT":
        pdf.multi_cell(w, h, text, align=align, new_x=new_x, new_y=new_y)
        return
    x = pdf.get_x()
    width = w or pdf.w - pdf.r_margin - x
    room = width - 2 * pdf.c_margin
    lines = text.split("\n")
    for i, line in enumerate(lines):
        last = i == len(lines) - 1
        move = new_x if last else "LEFT"
        if pdf.get_string_width(line) < room:
            pdf.cell(width, h, line, align="L" if align == "J" else align, new_x=move, new_y="NEXT")
        else:
            pdf.multi_cell(width, h, line, align=align, new_x=move, new_y="NEXT")
        if not last:
            pdf.set_x(x)


def _group(iban: str) -> str:
    compact = iban.replace(" ", "")
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))

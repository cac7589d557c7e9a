"""What the law requires on the document is shown on the TUI's invoice screen, as `invoice show`
prints it: the required notes (OSS), the reverse-charge wording and the VIES warning for an
unverified VAT number; for a draft from the preview, and once issued."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from invoicer.services.commands import NewDraft, NewLine, ShopProfileChanges
from tests.tui.conftest import SHOP, fill_fixed_data, make_app, screen_text, settle
from ui_tui.screens.invoice import InvoiceScreen

VIES_WARNING = "The buyer's VAT number has no recent valid VIES check."
OSS_NOTE = "VAT of PL charged under the EU One-Stop-Shop (OSS) scheme"


def draft_for(svc: Any, customer: int, product: int) -> Any:
    data = fill_fixed_data(svc)
    draft = svc.invoices.create_draft(
        NewDraft(customer_id=data["customers"][customer].id, supply_date=dt.date(2026, 3, 14))
    )
    svc.invoices.add_line(
        draft.id, NewLine(product_id=data["products"][product].id, quantity=Decimal(2))
    )
    return draft


async def shown(svc: Any, tmp_path: Path, invoice_id: str) -> str:
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(InvoiceScreen(invoice_id))
        await settle(pilot)
        return " ".join(screen_text(app).split())  # wrapped lines joined again


async def test_reverse_charge_invoice_shows_its_wording_and_the_vies_warning(
    svc: Any, tmp_path: Path
) -> None:
    draft = draft_for(svc, customer=1, product=0)  # consulting for Acme SARL, FR, not checked
    text = await shown(svc, tmp_path, draft.id)
    assert f"Warning: {VIES_WARNING}" in text  # before issuing, from the preview
    issued = svc.invoices.issue(draft.id, vies_policy="warn")
    assert issued.warnings == (VIES_WARNING,)
    text = await shown(svc, tmp_path, issued.id)
    assert "Reverse charge" in text
    assert f"Warning: {VIES_WARNING}" in text


async def test_required_oss_note_is_shown_for_a_draft_and_once_issued(
    svc: Any, tmp_path: Path
) -> None:
    draft = draft_for(svc, customer=2, product=2)  # goods for a consumer in Poland
    svc.shop.save(ShopProfileChanges(**{**SHOP, "vat_status": "oss"}))
    assert f"Note: {OSS_NOTE}" in await shown(svc, tmp_path, draft.id)
    issued = svc.invoices.issue(draft.id)
    assert issued.notes_required == (OSS_NOTE,)
    text = await shown(svc, tmp_path, issued.id)
    assert f"Note: {OSS_NOTE}" in text
    assert "Warning:" not in text

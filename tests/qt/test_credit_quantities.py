"""The desktop app's credit dialog reads the typed quantities with the one parser
(invoicer.domain.parsing), as the terminal UI's does: the same keystrokes credit the same
quantity or are refused in the same words (tests/credit_keystrokes.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from invoicer.domain.errors import ValidationError
from invoicer.domain.parsing import chosen_quantities
from invoicer.services.app import Services
from invoicer.services.commands import ShopProfileChanges
from invoicer.services.errors import error_lines
from tests.credit_keystrokes import CREDITED, REFUSED
from tests.qt.test_invoice_window import SHOP, issued_domestic
from ui_qt.dialogs.credit_dialog import CreditDialog


def credit_dialog(qtbot: Any, svc: Services, typed: str) -> CreditDialog:
    svc.shop.save(ShopProfileChanges(**SHOP))
    invoice = svc.invoices.get(issued_domestic(svc))
    dialog = CreditDialog(svc, invoice)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.partial.setChecked(True)
    (field,) = dialog.quantities.values()
    qtbot.keyClicks(field, typed)
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    return dialog


@pytest.mark.parametrize(("typed", "credited"), CREDITED)
def test_a_typed_quantity_is_credited_as_meant(
    qtbot: Any, svc: Services, typed: str, credited: Decimal
) -> None:
    dialog = credit_dialog(qtbot, svc, typed)
    qtbot.waitUntil(lambda: dialog.credit_note is not None)
    assert dialog.credit_note is not None
    assert [line.quantity for line in dialog.credit_note.lines] == [-credited]


@pytest.mark.parametrize(("typed", "code"), REFUSED)
def test_a_refused_quantity_gives_the_one_parsers_words(
    qtbot: Any, svc: Services, typed: str, code: str
) -> None:
    dialog = credit_dialog(qtbot, svc, typed)
    (line,) = dialog.invoice.lines
    with pytest.raises(ValidationError) as caught:
        chosen_quantities({line.id: (line.description, typed)})
    assert caught.value.problems[0].code == code

    assert dialog.problems.text() == "\n".join(error_lines(caught.value))
    assert dialog.isVisible()
    assert svc.invoices.list(kind="credit_note").items == ()

"""Every user action in one registry: key, binding id, title and where it applies.

The same table feeds the key bindings of the App and of each screen, the command palette
(`commands.py`) and the help screen, so a key means the same thing everywhere and every action
can also be found by name. Binding ids are stable so a user keymap (`App.set_keymap`) can
rebind them.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class UserAction:
    id: str
    keys: str  # comma-separated Textual key names; "" = palette only
    action: str  # the action string run on the App ("app" scope) or the screen
    title: str
    help: str
    scopes: tuple[str, ...]  # "app" or screen names
    show: bool = True  # shown in the footer


SECTIONS = (
    ("dashboard", "f2", "Dashboard"),
    ("invoices", "f3", "Invoices"),
    ("customers", "f4", "Customers"),
    ("products", "f5", "Products"),
    ("reports", "f6", "Reports"),
    ("settings", "f7", "Settings"),
)

LISTS = ("customers", "products", "invoices", "quotes")
FORMS = ("customer_form", "product_form", "settings", "setup", "invoice")

ACTIONS: tuple[UserAction, ...] = (
    UserAction("help", "f1", "help", "Help", "Show the keys and what they do", ("app",)),
    *(
        UserAction(
            f"go.{mode}",
            key,
            f"go('{mode}')",
            f"Go to {title}",
            f"Open the {title} section",
            ("app",),
            show=False,
        )
        for mode, key, title in SECTIONS
    ),
    UserAction("quit", "ctrl+q", "quit", "Quit", "Leave Invoicer", ("app",), show=False),
    UserAction("new_invoice", "", "new_invoice", "New invoice", "Start a draft invoice", ("app",)),
    UserAction("new_customer", "", "new_customer", "New customer", "Add a customer", ("app",)),
    UserAction("new_product", "", "new_product", "New product", "Add a product", ("app",)),
    UserAction("go_quotes", "", "go_quotes", "Go to Quotes", "Open the quotes", ("app",)),
    UserAction(
        "sync_now",
        "",
        "sync_now",
        "Sync now",
        "Send this device's changes to the sync server and fetch the other devices'",
        ("app",),
    ),
    # Lists
    UserAction("list.new", "ctrl+n", "new", "New", "Add a new record", LISTS),
    UserAction("list.search", "slash", "search", "Search", "Type to filter the list", LISTS),
    UserAction("list.open", "", "open", "Open", "Open the highlighted record (Enter)", LISTS),
    UserAction(
        "list.archive",
        "delete",
        "archive",
        "Archive",
        "Archive the highlighted record",
        ("customers", "products"),
    ),
    UserAction(
        "list.show_archived",
        "",
        "toggle_archived",
        "Show/hide archived",
        "Include archived records in the list",
        ("customers", "products"),
    ),
    UserAction(
        "list.next_page",
        "pagedown",
        "page(1)",
        "Next page",
        "Show the next page",
        LISTS,
        show=False,
    ),
    UserAction(
        "list.prev_page",
        "pageup",
        "page(-1)",
        "Previous page",
        "Show the previous page",
        LISTS,
        show=False,
    ),
    UserAction(
        "list.clear_filters",
        "",
        "clear_filters",
        "Clear filters",
        "Show every invoice again",
        ("invoices",),
    ),
    # Forms
    UserAction("form.save", "ctrl+s", "save", "Save", "Save the changes", FORMS),
    UserAction(
        "back",
        "escape",
        "back",
        "Back",
        "Close this screen",
        ("customer_form", "product_form", "invoice"),
    ),
    UserAction(
        "customer.vies",
        "f8",
        "vies",
        "VIES check",
        "Ask the EU VIES service whether the VAT number is valid",
        ("customer_form",),
    ),
    # The invoice screen
    UserAction("invoice.add_line", "a", "add_line", "Add line", "Pick a product", ("invoice",)),
    UserAction(
        "invoice.remove_line",
        "delete",
        "remove_line",
        "Remove line",
        "Remove the highlighted line",
        ("invoice",),
    ),
    UserAction("invoice.issue", "i", "issue", "Issue", "Give the draft its number", ("invoice",)),
    UserAction(
        "invoice.delete_draft",
        "",
        "delete_draft",
        "Delete draft",
        "Throw the draft away",
        ("invoice",),
    ),
    UserAction(
        "invoice.credit",
        "c",
        "credit",
        "Credit",
        "Issue a credit note for all or some lines",
        ("invoice",),
    ),
    UserAction(
        "invoice.payment",
        "p",
        "payment",
        "Payment",
        "Record money received",
        ("invoice",),
    ),
    UserAction("invoice.pdf", "o", "pdf", "PDF", "Render and open the PDF", ("invoice",)),
    UserAction(
        "invoice.send",
        "e",
        "send",
        "E-mail",
        "E-mail the invoice to the customer",
        ("invoice",),
        show=False,  # the footer is full at 80 columns; F1 and Ctrl+P list it
    ),
    UserAction(
        "invoice.export",
        "x",
        "export",
        "E-invoice",
        "Write the e-invoice: UBL, CII or Factur-X",
        ("invoice",),
    ),
    # Getting paid (network work runs in workers; see ui_tui/payments.py)
    UserAction(
        "invoice.stripe_link",
        "l",
        "stripe_link",
        "Card link",
        "A Stripe link for the balance",
        ("invoice",),
        show=False,  # the footer is full at 80 columns; F1 and Ctrl+P list it
    ),
    UserAction(
        "invoice.crypto_request",
        "r",
        "crypto_request",
        "Crypto request",
        "An EIP-681 request for the balance",
        ("invoice",),
        show=False,  # the footer is full at 80 columns; F1 and Ctrl+P list it
    ),
    UserAction(
        "invoice.check_tx",
        "t",
        "check_tx",
        "Check transaction",
        "Verify a transaction on chain; book it",
        ("invoice",),
        show=False,  # the footer is full at 80 columns; F1 and Ctrl+P list it
    ),
    UserAction(
        "payments.stripe_refresh",
        "u",
        "stripe_refresh",
        "Refresh card payments",
        "Ask Stripe which links were paid; book them",
        ("invoices", "invoice"),
        show=False,  # the footer is full at 80 columns; F1 and Ctrl+P list it
    ),
    UserAction(
        "payments.scan_chain",
        "w",
        "scan_chain",
        "Scan chain for crypto payments",
        "Book transfers that pay an open invoice exactly",
        ("invoices",),
        show=False,  # the footer is full at 80 columns; F1 and Ctrl+P list it
    ),
    UserAction(
        "payments.import_statement",
        "b",
        "import_statement",
        "Import bank statement",
        "Book a CAMT.053/CSV file; list the rest",
        ("invoices",),
    ),
    UserAction(
        "invoices.quotes",
        "q",
        "app.go_quotes",
        "Quotes",
        "Open the quotes (estimates)",
        ("invoices",),
        show=False,  # the footer is full at 80 columns; F1 and Ctrl+P list it
    ),
    # Quotes: the steps of the highlighted quote
    UserAction("quote.add_line", "a", "add_line", "Add line", "Add a product line", ("quotes",)),
    UserAction("quote.issue", "i", "issue", "Issue", "Number and freeze it", ("quotes",)),
    UserAction("quote.send", "s", "mark_sent", "Sent", "Mark it sent", ("quotes",), show=False),
    UserAction("quote.accept", "y", "accept", "Accepted", "Customer said yes", ("quotes",)),
    UserAction("quote.decline", "n", "decline", "Declined", "Customer said no", ("quotes",)),
    UserAction(
        "quote.convert", "v", "to_invoice", "To invoice", "Make a draft invoice of it", ("quotes",)
    ),
    # Settings: the secrets in the keyring (values are never shown)
    UserAction(
        "settings.set_secret",
        "",
        "set_secret",
        "Set secret",
        "Store a secret in the keyring (Enter)",
        ("settings",),
    ),
    UserAction(
        "settings.delete_secret",
        "delete",
        "delete_secret",
        "Delete secret",
        "Remove a secret from the keyring",
        ("settings",),
    ),
    # Reports
    UserAction(
        "reports.refresh",
        "ctrl+r",
        "refresh",
        "Refresh",
        "Recompute the figures",
        ("reports", "dashboard"),
    ),
)


def actions_for(scope: str) -> tuple[UserAction, ...]:
    return tuple(a for a in ACTIONS if scope in a.scopes)


def bindings_for(scope: str) -> list[BindingType]:
    """Textual bindings for a scope, each with its stable id."""
    return [
        Binding(
            a.keys,
            a.action,
            a.title,
            show=a.show,
            id=a.id,
            tooltip=a.help,
            # Global keys must work while an Input has focus.
            priority=scope == "app" or a.keys in {"ctrl+s", "pagedown", "pageup"},
        )
        for a in actions_for(scope)
        if a.keys
    ]

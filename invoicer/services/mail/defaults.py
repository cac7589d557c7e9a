"""The built-in subject and body of each kind of message, per language (en, nl, de, fr).

The merchant may replace any of them (templates.py); these are what a shop starts with."""

from __future__ import annotations

LANGUAGES = ("en", "nl", "de", "fr")
KINDS = ("invoice", "reminder", "quote")

# (kind, language) -> (subject, body)
DEFAULTS: dict[tuple[str, str], tuple[str, str]] = {
    ("invoice", "en"): (
        "Invoice {number} from {shop}",
        "Dear {customer},\n\n"
        "Please find attached invoice {number} for {amount}, due on {due_date}.\n"
        "Pay online: {payment_link}\n\n"
        "Kind regards,\n{shop}\n",
    ),
    ("reminder", "en"): (
        "Reminder: invoice {number} is overdue",
        "Dear {customer},\n\n"
        "Our records show that invoice {number}, due on {due_date}, has not been paid yet: "
        "{amount} is still open. The invoice is attached again.\n"
        "Pay online: {payment_link}\n\n"
        "If you have paid in the meantime, please disregard this message.\n\n"
        "Kind regards,\n{shop}\n",
    ),
    ("invoice", "nl"): (
        "Factuur {number} van {shop}",
        "Beste {customer},\n\n"
        "In de bijlage vindt u factuur {number} van {amount}, te betalen vóór {due_date}.\n"
        "Online betalen: {payment_link}\n\n"
        "Met vriendelijke groet,\n{shop}\n",
    ),
    ("reminder", "nl"): (
        "Herinnering: factuur {number} is vervallen",
        "Beste {customer},\n\n"
        "Volgens onze administratie is factuur {number}, vervallen op {due_date}, nog niet "
        "betaald: er staat nog {amount} open. De factuur zit opnieuw in de bijlage.\n"
        "Online betalen: {payment_link}\n\n"
        "Heeft u inmiddels betaald? Dan kunt u dit bericht negeren.\n\n"
        "Met vriendelijke groet,\n{shop}\n",
    ),
    ("invoice", "de"): (
        "Rechnung {number} von {shop}",
        "Guten Tag {customer},\n\n"
        "anbei erhalten Sie die Rechnung {number} über {amount}, fällig am {due_date}.\n"
        "Online bezahlen: {payment_link}\n\n"
        "Mit freundlichen Grüßen\n{shop}\n",
    ),
    ("reminder", "de"): (
        "Zahlungserinnerung: Rechnung {number}",
        "Guten Tag {customer},\n\n"
        "nach unseren Unterlagen ist die Rechnung {number}, fällig am {due_date}, noch nicht "
        "bezahlt: offen sind noch {amount}. Die Rechnung finden Sie erneut im Anhang.\n"
        "Online bezahlen: {payment_link}\n\n"
        "Falls Sie inzwischen bezahlt haben, betrachten Sie diese Nachricht bitte als "
        "gegenstandslos.\n\n"
        "Mit freundlichen Grüßen\n{shop}\n",
    ),
    ("invoice", "fr"): (
        "Facture {number} de {shop}",
        "Bonjour {customer},\n\n"
        "Veuillez trouver ci-joint la facture {number} d'un montant de {amount}, "
        "à régler avant le {due_date}.\n"
        "Payer en ligne : {payment_link}\n\n"
        "Cordialement,\n{shop}\n",
    ),
    ("reminder", "fr"): (
        "Rappel : facture {number} échue",
        "Bonjour {customer},\n\n"
        "Sauf erreur de notre part, la facture {number}, échue le {due_date}, n'est pas "
        "encore réglée : {amount} restent dus. Vous la trouverez de nouveau ci-jointe.\n"
        "Payer en ligne : {payment_link}\n\n"
        "Si vous avez réglé entre-temps, merci de ne pas tenir compte de ce message.\n\n"
        "Cordialement,\n{shop}\n",
    ),
    ("quote", "en"): (
        "Quote {number} from {shop}",
        "Dear {customer},\n\n"
        "Please find attached our quote {number} for {amount}, valid until {valid_until}.\n"
        "We look forward to hearing from you.\n\n"
        "Kind regards,\n{shop}\n",
    ),
    ("quote", "nl"): (
        "Offerte {number} van {shop}",
        "Beste {customer},\n\n"
        "In de bijlage vindt u onze offerte {number} van {amount}, geldig tot en met "
        "{valid_until}.\n"
        "Wij horen graag van u.\n\n"
        "Met vriendelijke groet,\n{shop}\n",
    ),
    ("quote", "de"): (
        "Angebot {number} von {shop}",
        "Guten Tag {customer},\n\n"
        "anbei erhalten Sie unser Angebot {number} über {amount}, gültig bis {valid_until}.\n"
        "Wir freuen uns auf Ihre Rückmeldung.\n\n"
        "Mit freundlichen Grüßen\n{shop}\n",
    ),
    ("quote", "fr"): (
        "Devis {number} de {shop}",
        "Bonjour {customer},\n\n"
        "Veuillez trouver ci-joint notre devis {number} d'un montant de {amount}, valable "
        "jusqu'au {valid_until}.\n"
        "Dans l'attente de votre réponse,\n\n"
        "Cordialement,\n{shop}\n",
    ),
}

"""Sending documents by e-mail (issue 22, docs/email.md).

- settings_checks: the mail settings' own rules (host, sender, reminder cadence);
- templates: the subject and body of each kind of message per language, the merchant's own
  or the built-in ones, and their placeholders;
- message: one EmailMessage (MIME, UTF-8 names, Message-ID, Date, the attachments);
- transport: smtplib with STARTTLS, TLS or none, its failures said in the user's words;
- sent_log: the attempts per document, and the send key that keeps a retry from sending twice;
- sending: e-mail an invoice (the use case the front-ends call);
- reminders: the reminders due for overdue invoices, once per step.

Kept free of imports here: the settings (read on every start) use settings_checks alone.
"""

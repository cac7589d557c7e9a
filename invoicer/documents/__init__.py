"""Invoice documents: PDF, EN 16931 e-invoices, payment QR codes, translations."""

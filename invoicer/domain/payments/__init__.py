"""Payment references and the matching of received payments to open invoices (pure logic)."""

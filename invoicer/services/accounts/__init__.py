"""Users, logins, API keys of a server's shops."""

"""The outside world, each behind a small interface: keyring, VIES, Stripe, web3."""

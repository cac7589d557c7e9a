"""The server's secret store: secrets from the environment (INVOICER_SECRET_<NAME>), never
from the database. A shop's own secrets (its Stripe key) come with issue 21's checkout; until
then a service that needs one says it is not configured on this server."""

from __future__ import annotations

import os

from invoicer.integrations.secrets import SecretsStatus


class ServerSecrets:
    def _env(self, name: str) -> str:
        return "INVOICER_SECRET_" + "".join(c if c.isalnum() else "_" for c in name).upper()

    def get_secret(self, name: str) -> str | None:
        return os.environ.get(self._env(name))

    def optional_secret(self, name: str) -> str | None:
        return os.environ.get(self._env(name))

    def set_secret(self, name: str, value: str) -> None:
        from invoicer.domain.errors import Conflict

        raise Conflict("Secrets of a server are set in its environment, not over the API.")

    def delete_secret(self, name: str) -> bool:
        return False

    def status(self) -> SecretsStatus:
        from invoicer.integrations.secrets import SECRETS

        return SecretsStatus(
            backend="environment",
            usable=True,
            problem=None,
            stored={name: self._env(name) in os.environ for name in SECRETS},
        )

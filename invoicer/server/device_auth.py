"""Who a sync call is by: a device credential (Bearer dv_…) and the schema its Invoicer
speaks (the Invoicer-Schema header), or, where a route also serves admins, an admin's
credentials. Each gives the sync log of the caller's shop (services/sync/server_log.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from invoicer.domain.errors import ValidationError
from invoicer.server import auth
from invoicer.server.state import SERVER_DEVICE, ServerState
from invoicer.services.accounts.errors import NotSignedIn
from invoicer.services.accounts.views import Principal
from invoicer.services.context import ServiceContext
from invoicer.services.sync.protocol import SCHEMA_HEADER, TOKEN_PREFIX
from invoicer.services.sync.server_log import SyncLog
from invoicer.services.sync.server_views import DeviceAuth

device_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="DeviceToken",
    description="A sync device's credential (dv_…), given once when the device is registered.",
)
SchemaHeader = Annotated[
    str | None,
    Header(
        alias=SCHEMA_HEADER,
        max_length=9,
        description="The event schema the device's Invoicer speaks (2 for this version).",
    ),
]


@dataclass(frozen=True, slots=True)
class DeviceCall:
    device: DeviceAuth
    log: SyncLog  # the device's shop's


def log_for(state: ServerState, who: Principal) -> SyncLog:
    """The sync log of a principal's shop (its writes by the server's own device)."""
    svc = auth.services_for(state, who)
    return SyncLog(svc.db, svc.ctx)


def _schema(header: str | None) -> int | None:
    if header is None:
        return None
    if not header.isascii() or not header.strip().isdigit():
        raise ValidationError.single(
            SCHEMA_HEADER, "invalid", f"{SCHEMA_HEADER} is a whole number, such as 2."
        )
    return int(header)


def _device_call(state: ServerState, token: str | None, header: str | None) -> DeviceCall:
    if not token:
        raise NotSignedIn(
            "Send the device's credential as a Bearer token (dv_…).", "invalid_device_token"
        )
    platform = ServiceContext(
        actor="server",
        device_id=SERVER_DEVICE,
        shop_id=None,
        clock=state.clock,
        settings=state.settings,
        secrets=state.secrets,
    )
    found = SyncLog(state.db, platform).authenticate(token, _schema(header))
    who = Principal(
        "device",
        found.device_id,
        f"device:{found.device_id}",
        "device",
        found.shop_id,
        found.shop_id,
        "live",
    )
    return DeviceCall(found, log_for(state, who))


def device_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(device_bearer)],
    schema: SchemaHeader = None,
) -> DeviceCall:
    token = credentials.credentials if credentials is not None else None
    return _device_call(auth.state_of(request), token, schema)


def admin_or_device(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(auth.bearer)],
    schema: SchemaHeader = None,
) -> SyncLog:
    """The sync log of a shop admin's shop, or of a device's (Bearer dv_…)."""
    token = credentials.credentials if credentials is not None else None
    if token is not None and token.startswith(TOKEN_PREFIX):
        return _device_call(auth.state_of(request), token, schema).log
    who = auth.shop_admin(request, auth.shop_member(auth.principal(request, credentials)))
    return log_for(auth.state_of(request), who)


DeviceCaller = Annotated[DeviceCall, Depends(device_caller)]
AdminOrDevice = Annotated[SyncLog, Depends(admin_or_device)]

"""Sync (docs/sync.md): an admin registers, lists and revokes a shop's devices and reviews
what revoked devices pushed; a device (Bearer dv_…) reads its state, pushes its events and
pulls the shop's feed. Every rule is the sync log's (services/sync/server_log.py)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from invoicer.server.auth import Admin, AdminOrKey, AdminOrKeyServices, AdminServices
from invoicer.server.device_auth import AdminOrDevice, DeviceCaller
from invoicer.server.idempotent import shows_secret_once
from invoicer.server.routes.common import answer, listing
from invoicer.server.routes.common import router as make_router
from invoicer.server.serialise import plain
from invoicer.server.strict import strict
from invoicer.services.sync.commands import NewSyncDevice, SyncPush
from invoicer.services.sync.protocol import MAX_BATCH
from invoicer.services.sync.server_log import SyncLog
from invoicer.services.sync.views import RemoteDevice

router = make_router("sync")
devices = APIRouter(tags=["sync"])  # the devices' own calls: idempotent by their protocol


def _log(svc: Any) -> SyncLog:
    return SyncLog(svc.db, svc.ctx)


def _device(remote: RemoteDevice) -> dict[str, Any]:
    return {"object": "sync_device", **plain(remote), "revoked": remote.revoked_at is not None}


@router.post("/sync/devices", status_code=201, summary="Register a sync device")
def register_device(
    svc: AdminOrKeyServices,
    who: AdminOrKey,
    body: strict(NewSyncDevice),  # type: ignore[valid-type]
) -> JSONResponse:
    made = _log(svc).register_device(body.name, bool(body.history), who.actor)
    return shows_secret_once(
        JSONResponse(
            {
                **_device(made.device),
                "token": made.token,
                "chains": list(made.chains),
                "epoch": made.epoch,
                "shop_id": made.shop_id,
            },
            status_code=201,
        )
    )


@router.get("/sync/devices", summary="List the shop's sync devices (an admin or a device)")
def list_devices(log: AdminOrDevice) -> JSONResponse:
    found = log.list_devices()
    data = [_device(d) for d in found]  # the list envelope of listing(), with `revoked`
    body = {"object": "list", "data": data, "has_more": False, "next_cursor": None}
    return JSONResponse({**body, "total": len(data)})


@router.post("/sync/devices/{device_id}/revoke", summary="Revoke a sync device")
def revoke_device(svc: AdminServices, who: Admin, device_id: str) -> JSONResponse:
    return JSONResponse(_device(_log(svc).revoke(device_id, who.actor)))


@router.get("/sync/reviews", summary="Events revoked devices pushed, for review")
def reviews(svc: AdminServices) -> JSONResponse:
    found = list(_log(svc).reviews())
    return listing(found, object_name="sync_review", next_cursor=None, total=len(found))


@router.post("/sync/reviews/{event_id}/done", summary="Mark a pushed event as reviewed")
def review_done(svc: AdminServices, who: Admin, event_id: str) -> JSONResponse:
    return answer(_log(svc).review_done(event_id, who.actor), object_name="sync_review")


@devices.get("/sync/state", summary="This device's state on the server (a device)")
def state(caller: DeviceCaller) -> JSONResponse:
    found = caller.log.state(caller.device)
    body = plain(found)
    body["device"] = _device(found.device)
    return JSONResponse({"object": "sync_state", **body})


@devices.post("/sync/push", summary="Push this device's events (a device)")
def push(caller: DeviceCaller, body: strict(SyncPush)) -> JSONResponse:  # type: ignore[valid-type]
    found = caller.log.push(caller.device, body.events)
    out: dict[str, Any] = {
        "object": "sync_push",
        "results": plain(found.results),
        "chains": found.chains,
        "head": found.head,
    }
    if found.revoked_message is not None:
        out["device"] = {"revoked": True, "message": found.revoked_message}
    return JSONResponse(out)


Limit = Annotated[int, Query(description=f"At most {MAX_BATCH} events.")]
Cursor = Annotated[
    str | None, Query(max_length=200, description="The cursor of the previous batch.")
]


@devices.get("/sync/events", summary="Pull the shop's events after a cursor (a device)")
def events(caller: DeviceCaller, cursor: Cursor = None, limit: Limit = MAX_BATCH) -> JSONResponse:
    found = caller.log.pull(caller.device, cursor, limit)
    return JSONResponse({"object": "sync_events", **plain(found)})


router.include_router(devices)

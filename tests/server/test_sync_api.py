"""The server's side of sync (issue 20, docs/sync.md) through its HTTP API, on SQLite and
PostgreSQL: devices registered, listed and revoked by an admin; real device stores' events
pushed (stored, duplicate, gap, fork, refused) and the shop's feed pulled from a cursor."""

from __future__ import annotations

import json
import threading
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from invoicer.server.auth import services_for
from invoicer.services.app import Services
from invoicer.services.commands import NewCustomer
from invoicer.services.commands.invoices import NewDraft, NewLine
from invoicer.services.sync import protocol
from tests.server.conftest import Shop
from tests.server.security import admin_principal, assert_error_shape
from tests.server.sync_devices import ADDRESS, crafted, device_headers, device_store, register
from tests.store.devices import as_device


def _server(client: TestClient, shop: Shop) -> Services:
    """The server's services for the shop's admin (to look at its rows)."""
    return services_for(client.app.state.invoicer, admin_principal(client.app, shop))  # type: ignore[attr-defined]


def _push(client: TestClient, token: str, events: list[dict[str, Any]], **kw: Any) -> Any:
    return client.post(
        "/v1/sync/push", headers=device_headers(token, **kw), json={"events": events}
    )


def _pull_all(client: TestClient, token: str, limit: int = 500) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        answer = client.get("/v1/sync/events", headers=device_headers(token), params=params)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        events += body["events"]
        cursor = body["cursor"]
        if not body["has_more"]:
            return events


def test_a_device_registers_without_its_history(client: TestClient, shop: Shop) -> None:
    first = register(client, shop.headers, name="Laptop in the shop")
    assert first["object"] == "sync_device"
    assert first["token"].startswith(protocol.TOKEN_PREFIX)
    assert (first["code"], first["series_prefix"]) == ("A", "A")
    assert first["chains"] == [first["device_id"]]
    assert first["shop_id"] == shop.shop_id
    assert len(first["epoch"]) == 16
    second = register(client, shop.headers, name="Desktop at home")
    assert (second["code"], second["series_prefix"]) == ("B", "B")
    assert second["epoch"] == first["epoch"]
    svc = _server(client, shop)
    devices = {d.id: (d.code, d.series_prefix) for d in svc.devices.list()}
    assert devices == {
        "server": ("WEB", "WEB"),
        first["device_id"]: ("A", "A"),
        second["device_id"]: ("B", "B"),
    }


def _issue_on_server(client: TestClient, shop: Shop) -> str:
    """An invoice the server issues itself (the web store), with its customer."""
    svc = _server(client, shop)
    made = client.post(
        "/v1/customers",
        headers=shop.headers,
        json={"name": "Web buyer", "country": "NL", **ADDRESS},
    )
    assert made.status_code == 201, made.text
    draft = svc.invoices.create_draft(NewDraft(customer_id=made.json()["id"]))
    svc.invoices.add_line(draft.id, NewLine(description="Tea", unit_price="5.00", quantity="1"))
    return svc.invoices.issue(draft.id, vies_policy="warn").number or ""


def test_the_first_device_keeps_its_history(client: TestClient, shop: Shop, tmp_path: Path) -> None:
    made = register(client, shop.headers, history=True)
    assert made["chains"] == [made["device_id"], "local"]
    assert (made["code"], made["series_prefix"]) == ("A", "")
    refused = client.post(
        "/v1/sync/devices", headers=shop.headers, json={"name": "Second", "history": True}
    )
    assert "already uploaded its history" in assert_error_shape(refused, 409)["message"]
    with device_store(tmp_path / "a", made) as device:
        before = device.svc.customers.add(NewCustomer(name="Months ago", country="NL", **ADDRESS))
        assert device.events("local")[-1]["entity_id"] == before.id
        customer = device.customer()
        number = device.invoice(customer)
        assert "-A-" not in number  # the shop's own numbers go on
        events = device.all_events()
    pushed = _push(client, made["token"], events)
    assert pushed.status_code == 200, pushed.text
    results = pushed.json()["results"]
    assert [r["reason"] for r in results if r["reason"]] == []
    assert {r["status"] for r in results} == {"stored"}
    assert pushed.json()["chains"][made["device_id"]] == len(
        [e for e in events if e["device_id"] == made["device_id"]]
    )
    assert pushed.json()["chains"]["local"] >= 1


def test_history_is_refused_once_the_shop_issued_documents(client: TestClient, shop: Shop) -> None:
    _issue_on_server(client, shop)
    refused = client.post(
        "/v1/sync/devices", headers=shop.headers, json={"name": "Old laptop", "history": True}
    )
    assert "already has issued invoices" in assert_error_shape(refused, 409)["message"]
    made = register(client, shop.headers)
    assert made["series_prefix"] == "A"
    svc = _server(client, shop)
    server = next(d for d in svc.devices.list() if d.id == "server")
    assert server.series_prefix == ""  # the server's numbers go on as they were


def test_devices_are_listed_for_admins_and_the_shops_devices(
    client: TestClient, shop: Shop, other_shop: Shop
) -> None:
    made = register(client, shop.headers)
    register(client, other_shop.headers, name="Rival's till")
    for headers in (shop.headers, device_headers(made["token"])):
        listed = client.get("/v1/sync/devices", headers=headers)
        assert listed.status_code == 200, listed.text
        body = listed.json()
        assert [d["device_id"] for d in body["data"]] == [made["device_id"]]
        assert body["data"][0]["revoked"] is False
        assert "token" not in body["data"][0]
    assert_error_shape(client.get("/v1/sync/devices"), 401)
    assert_error_shape(client.get("/v1/sync/devices", headers=device_headers("dv_nope")), 401)


def test_a_wrong_or_garbled_device_token_is_401(client: TestClient, shop: Shop) -> None:
    made = register(client, shop.headers)
    for token in ("dv_" + "x" * 43, "garbage", "dv_" + "y" * 300, made["token"] + "x"):
        for path in ("/v1/sync/state", "/v1/sync/events"):
            answer = client.get(path, headers=device_headers(token))
            assert_error_shape(answer, 401)
    assert_error_shape(client.get("/v1/sync/state"), 401)
    # An admin's own credentials are not a device's.
    assert_error_shape(client.get("/v1/sync/state", headers=shop.headers), 401)


def test_state_says_where_the_server_is(client: TestClient, shop: Shop, tmp_path: Path) -> None:
    made = register(client, shop.headers)
    state = client.get("/v1/sync/state", headers=device_headers(made["token"]))
    assert state.status_code == 200, state.text
    body = state.json()
    assert body["object"] == "sync_state"
    assert body["chains"] == {made["device_id"]: 0}
    assert body["epoch"] == made["epoch"]
    assert body["head"] >= 2  # the server's own device and this one, registered
    assert body["server_schema"] == protocol.CLIENT_SCHEMA
    assert body["device"]["revoked"] is False
    assert body["device"]["quarantined"] is None
    assert body["device"]["last_seen_at"] is not None


def test_an_outdated_client_is_told_to_update(client: TestClient, shop: Shop) -> None:
    made = register(client, shop.headers)
    headers = device_headers(made["token"], schema_version=1)
    for answer in (
        client.get("/v1/sync/state", headers=headers),
        client.get("/v1/sync/events", headers=headers),
        client.post("/v1/sync/push", headers=headers, json={"events": []}),
        client.get("/v1/sync/state", headers={"Authorization": f"Bearer {made['token']}"}),
    ):
        error = assert_error_shape(answer, 426)
        assert error["code"] == protocol.CLIENT_OUTDATED
        assert "Update Invoicer" in error["message"]
    garbled = {**headers, protocol.SCHEMA_HEADER: "two"}
    assert_error_shape(client.get("/v1/sync/state", headers=garbled), 422)


def test_pushed_events_are_stored_once_and_answer_their_place_again(
    client: TestClient, shop: Shop, tmp_path: Path
) -> None:
    made = register(client, shop.headers)
    token = made["token"]
    with device_store(tmp_path / "a", made) as device:
        customer = device.customer()
        numbers = [device.invoice(customer, what) for what in ("Tea", "Cups")]
        events = device.events()
    assert all("-A-" in number for number in numbers)
    first = _push(client, token, events[:4])
    assert first.status_code == 200, first.text
    results = first.json()["results"]
    assert [r["status"] for r in results] == ["stored"] * 4
    seqs = [r["server_seq"] for r in results]
    assert seqs == sorted(seqs)
    assert len(set(seqs)) == 4
    again = _push(client, token, events)
    assert again.status_code == 200, again.text
    body = again.json()
    assert [r["status"] for r in body["results"][:4]] == ["duplicate"] * 4
    assert [r["server_seq"] for r in body["results"][:4]] == seqs
    assert {r["status"] for r in body["results"][4:]} == {"stored"}
    assert body["chains"] == {made["device_id"]: len(events)}
    assert body["head"] == max(r["server_seq"] for r in body["results"])
    # The server's rows are the device's: its invoices with their numbers.
    svc = _server(client, shop)
    issued = {i.number for i in svc.invoices.list(limit=50).items if i.number}
    assert set(numbers) <= issued
    assert svc.audit.verify().ok


def test_a_gap_is_refused_with_where_to_resend_from(
    client: TestClient, shop: Shop, tmp_path: Path
) -> None:
    made = register(client, shop.headers)
    with device_store(tmp_path / "a", made) as device:
        device.invoice(device.customer())
        events = device.events()
    # The first two go in, then one is missing: those before the gap stay stored.
    answer = _push(client, made["token"], [events[0], events[1], events[3], events[4]])
    error = assert_error_shape(answer, 409)
    assert error["code"] == protocol.GAP
    assert error["resend_from"] == 3
    assert error["param"] == made["device_id"]
    state = client.get("/v1/sync/state", headers=device_headers(made["token"])).json()
    assert state["chains"] == {made["device_id"]: 2}
    resent = _push(client, made["token"], events[2:])
    assert resent.status_code == 200, resent.text
    assert {r["status"] for r in resent.json()["results"]} == {"stored"}


def test_a_fork_quarantines_the_device(client: TestClient, shop: Shop, tmp_path: Path) -> None:
    made = register(client, shop.headers)
    with device_store(tmp_path / "a", made) as device:
        device.customer("Jan")
        events = device.events()
    assert _push(client, made["token"], events).status_code == 200
    # The same store restored from an older copy writes another event at the same place.
    with device_store(tmp_path / "b", made) as restored:
        restored.customer("Piet")
        other = restored.events()
    assert other[-1]["device_seq"] == events[-1]["device_seq"]
    answer = _push(client, made["token"], other[-1:])
    error = assert_error_shape(answer, 409)
    assert error["code"] == protocol.FORK
    for later in (
        _push(client, made["token"], events[-1:]),
        client.get("/v1/sync/events", headers=device_headers(made["token"])),
    ):
        assert assert_error_shape(later, 403)["code"] == protocol.QUARANTINED
    state = client.get("/v1/sync/state", headers=device_headers(made["token"])).json()
    assert "differs" in state["device"]["quarantined"]
    listed = client.get("/v1/sync/devices", headers=shop.headers).json()["data"]
    assert listed[0]["quarantined"]


def test_a_device_may_push_only_its_own_chains(
    client: TestClient, shop: Shop, tmp_path: Path
) -> None:
    first = register(client, shop.headers)
    second = register(client, shop.headers, name="Second")
    with device_store(tmp_path / "a", first) as device:
        device.customer()
        events = device.events()
    answer = _push(client, second["token"], events)
    assert assert_error_shape(answer, 403)["code"] == protocol.NOT_YOURS
    state = client.get("/v1/sync/state", headers=device_headers(first["token"])).json()
    assert state["chains"] == {first["device_id"]: 0}  # nothing was stored


def test_a_newer_schema_is_refused_whole(client: TestClient, shop: Shop, tmp_path: Path) -> None:
    made = register(client, shop.headers)
    with device_store(tmp_path / "a", made) as device:
        device.customer()
        events = device.events()
    newer = [*events[:-1], {**events[-1], "schema_version": 3}]
    answer = _push(client, made["token"], newer)
    assert assert_error_shape(answer, 409)["code"] == protocol.SERVER_OUTDATED
    state = client.get("/v1/sync/state", headers=device_headers(made["token"])).json()
    assert state["chains"] == {made["device_id"]: 0}


def test_an_event_that_cannot_be_applied_is_kept_and_the_chain_goes_on(
    client: TestClient, shop: Shop, tmp_path: Path
) -> None:
    made = register(client, shop.headers)
    with device_store(tmp_path / "a", made) as device:
        device.customer("Jan")
        events = device.events()
    customer_event = events[-1]
    bad = crafted(customer_event, "customer.update", "customer", "nobody", {"row": {"id": "x"}})
    good = crafted(
        bad,
        "customer.update",
        "customer",
        customer_event["entity_id"],
        json.loads(customer_event["state"]),
    )
    answer = _push(client, made["token"], [*events, bad, good])
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [r["status"] for r in results[-2:]] == ["refused", "stored"]
    assert "could not be applied" in results[-2]["reason"]
    assert results[-2]["server_seq"] < results[-1]["server_seq"]
    pulled = {e["id"] for e in _pull_all(client, made["token"])}
    assert {bad["id"], good["id"]} <= pulled  # the refused one is in the feed too
    svc = _server(client, shop)
    assert svc.audit.verify().ok


def test_a_revoked_device_is_refused_pulls_but_its_documents_are_kept_for_review(
    client: TestClient, shop: Shop, other_shop: Shop, tmp_path: Path
) -> None:
    made = register(client, shop.headers)
    token = made["token"]
    with device_store(tmp_path / "a", made) as device:
        customer = device.customer()
        number = device.invoice(customer)  # issued offline, before it heard of the revocation
        events = device.events()
    revoked = client.post(f"/v1/sync/devices/{made['device_id']}/revoke", headers=shop.headers)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["revoked"] is True
    assert revoked.json()["revoked_at"] is not None
    pull = client.get("/v1/sync/events", headers=device_headers(token))
    error = assert_error_shape(pull, 403)
    assert error["code"] == protocol.REVOKED
    assert "revoked" in error["message"]
    assert "registered again" in error["message"]
    pushed = _push(client, token, events)
    assert pushed.status_code == 200, pushed.text
    assert {r["status"] for r in pushed.json()["results"]} == {"stored"}
    assert pushed.json()["device"]["revoked"] is True
    issue_event = next(e for e in events if e["action"].endswith(".issue"))
    reviews = client.get("/v1/sync/reviews", headers=shop.headers).json()["data"]
    assert [(r["event_id"], r["reviewed_at"]) for r in reviews] == [(issue_event["id"], None)]
    assert number in {i.number for i in _server(client, shop).invoices.list(limit=50).items}
    listed = client.get("/v1/sync/devices", headers=shop.headers).json()["data"]
    assert listed[0]["reviews"] == 1
    # Another shop's admin sees none of it: 404, as for an id nobody has.
    for path in (
        f"/v1/sync/devices/{made['device_id']}/revoke",
        f"/v1/sync/reviews/{issue_event['id']}/done",
    ):
        assert_error_shape(client.post(path, headers=other_shop.headers), 404)
    assert client.get("/v1/sync/reviews", headers=other_shop.headers).json()["data"] == []
    done = client.post(f"/v1/sync/reviews/{issue_event['id']}/done", headers=shop.headers)
    assert done.status_code == 200, done.text
    assert done.json()["reviewed_by"] == shop.email
    listed = client.get("/v1/sync/devices", headers=shop.headers).json()["data"]
    assert listed[0]["reviews"] == 0


def test_revoking_needs_a_device_of_the_shop(client: TestClient, shop: Shop) -> None:
    for device_id in ("no-such-device", "server"):
        answer = client.post(f"/v1/sync/devices/{device_id}/revoke", headers=shop.headers)
        assert_error_shape(answer, 404)
    assert_error_shape(client.post("/v1/sync/reviews/nothing/done", headers=shop.headers), 404)


def test_the_feed_is_pulled_in_pages_from_a_cursor(
    client: TestClient, shop: Shop, tmp_path: Path
) -> None:
    made = register(client, shop.headers)
    reader = register(client, shop.headers, name="Reader")
    with device_store(tmp_path / "a", made) as device:
        customer = device.customer()
        device.invoice(customer)
        events = device.events()
    assert _push(client, made["token"], events).status_code == 200
    whole = _pull_all(client, reader["token"])
    paged = _pull_all(client, reader["token"], limit=3)
    assert paged == whole
    seqs = [e["server_seq"] for e in whole]
    assert seqs == list(range(1, len(whole) + 1))  # the feed has no holes
    assert {e["id"] for e in events} <= {e["id"] for e in whole}
    assert (
        whole[-1]["server_seq"]
        == client.get("/v1/sync/state", headers=device_headers(reader["token"])).json()["head"]
    )
    # Events travel as stored: the same wire form the device sent, plus their place.
    sent = {e["id"]: e for e in events}
    assert all(
        {k: v for k, v in e.items() if k != "server_seq"} == sent[e["id"]]
        for e in whole
        if e["id"] in sent
    )
    # At the head: nothing more, the same cursor back.
    last = client.get(
        "/v1/sync/events",
        headers=device_headers(reader["token"]),
        params={"cursor": _cursor_of(client, reader["token"])},
    ).json()
    assert (last["events"], last["has_more"]) == ([], False)
    assert last["cursor"] == _cursor_of(client, reader["token"])


def _cursor_of(client: TestClient, token: str) -> str:
    """The cursor after the whole feed."""
    cursor = None
    while True:
        params: dict[str, Any] = {} if cursor is None else {"cursor": cursor}
        body = client.get("/v1/sync/events", headers=device_headers(token), params=params).json()
        cursor = body["cursor"]
        if not body["has_more"]:
            return str(cursor)


def test_a_cursor_of_another_log_is_unknown(client: TestClient, shop: Shop) -> None:
    made = register(client, shop.headers)
    register(client, shop.headers, name="Second")
    headers = device_headers(made["token"])
    first = client.get("/v1/sync/events", headers=headers, params={"limit": 1}).json()
    epoch, seq, event_id = first["cursor"].split(".")
    other = "0" * 16 if epoch != "0" * 16 else "1" * 16
    for cursor in (
        f"{other}.{seq}.{event_id}",  # another epoch: a restored or replaced log
        f"{epoch}.{seq}.{'0' * 36}",  # tampered: another event at that place
        f"{epoch}.999999.{event_id}",  # beyond the head
        f"{epoch}.0.{event_id}",
        "not a cursor",
        f"{epoch}.{'9' * 19}.{event_id}",
    ):
        answer = client.get("/v1/sync/events", headers=headers, params={"cursor": cursor})
        error = assert_error_shape(answer, 409)
        assert error["code"] == protocol.CURSOR_UNKNOWN
        assert "start again" in error["message"]
    nul = client.get(
        "/v1/sync/events", headers=headers, params={"cursor": first["cursor"] + "\x00"}
    )
    assert assert_error_shape(nul, 422)["param"] == "cursor"  # refused before any lookup
    ok = client.get("/v1/sync/events", headers=headers, params={"cursor": first["cursor"]})
    assert ok.status_code == 200, ok.text
    assert ok.json()["events"][0]["server_seq"] == int(seq) + 1


def test_the_servers_own_writes_reach_the_feed(client: TestClient, shop: Shop) -> None:
    made = register(client, shop.headers)
    created = client.post(
        "/v1/customers", headers=shop.headers, json={"name": "Web buyer", "country": "NL"}
    )
    assert created.status_code == 201, created.text
    feed = _pull_all(client, made["token"])
    mine = [e for e in feed if e["entity_id"] == created.json()["id"]]
    assert [(e["action"], e["device_id"]) for e in mine] == [("customer.add", "server")]
    assert mine[0]["server_seq"] == feed[-1]["server_seq"]
    # What the shop did before its first device is in the feed too, in its order.
    assert feed[0]["action"] != "customer.add" or feed[0]["device_id"] == "server"


def test_odd_values_are_refused_plainly(client: TestClient, shop: Shop, tmp_path: Path) -> None:
    made = register(client, shop.headers)
    headers = device_headers(made["token"])
    for limit in ("0", "1e999", "-1", "501", "abc"):
        answer = client.get("/v1/sync/events", headers=headers, params={"limit": limit})
        assert_error_shape(answer, 422)
    too_many = [{"id": str(i)} for i in range(protocol.MAX_BATCH + 1)]
    assert _push(client, made["token"], too_many).status_code in (413, 422)
    bodies: list[Any] = [
        {"events": "x"},
        {"events": [1]},
        {"events": [{"id": "x"}]},
        {"events": [], "extra": 1},
        {},
        [],
    ]
    for body in bodies:
        answer = client.post("/v1/sync/push", headers=headers, json=body)
        assert_error_shape(answer, 422)
    with device_store(tmp_path / "a", made) as device:
        device.customer()
        event = device.events()[-1]
    for bad in (
        {**event, "device_seq": 2**40},
        {**event, "device_seq": True},
        {**event, "hash": "X" * 64},
        {**event, "at": "yesterday"},
        {**event, "state": "a\x00b"},
        {**event, "entity_id": "x" * 201},
    ):
        assert_error_shape(_push(client, made["token"], [bad]), 422)
    for name in ("Till\x00", "", "x" * 61, "\t\n"):
        answer = client.post("/v1/sync/devices", headers=shop.headers, json={"name": name})
        assert_error_shape(answer, 422)
    wrong: list[Any] = [{"name": "Till", "history": "yes"}, {"name": 5}, {"name": "Till", "x": 1}]
    for body in wrong:
        assert_error_shape(client.post("/v1/sync/devices", headers=shop.headers, json=body), 422)


def test_the_admins_routes_are_for_admins(client: TestClient, shop: Shop) -> None:
    made = register(client, shop.headers)
    device = device_headers(made["token"])
    # A device credential registers and revokes nothing.
    assert_error_shape(client.post("/v1/sync/devices", headers=device, json={"name": "X"}), 401)
    answer = client.post(f"/v1/sync/devices/{made['device_id']}/revoke", headers=device)
    assert_error_shape(answer, 401)
    assert_error_shape(client.get("/v1/sync/reviews", headers=device), 401)


def test_concurrent_pushers_and_a_puller_miss_nothing(
    client: TestClient, shop: Shop, tmp_path: Path
) -> None:
    """The counter-row property: numbers are taken in commit order, so a puller that reads
    while devices push never reads past an event that commits later with a lower number."""
    pushers = [register(client, shop.headers, name=f"Till {n}") for n in range(3)]
    reader = register(client, shop.headers, name="Reader")
    chains = []
    for n, made in enumerate(pushers):
        with device_store(tmp_path / str(n), made) as device:
            for k in range(12):
                device.customer(f"Customer {n}.{k}")
            chains.append((made["token"], device.events()))
    failures: list[str] = []

    def push(token: str, events: list[dict[str, Any]]) -> None:
        for start in range(0, len(events), 3):
            answer = _push(client, token, events[start : start + 3])
            if answer.status_code != 200:
                failures.append(answer.text)

    threads = [threading.Thread(target=push, args=chain) for chain in chains]
    for thread in threads:
        thread.start()
    seen: list[dict[str, Any]] = []
    cursor = None
    while True:
        pushing = any(thread.is_alive() for thread in threads)
        params: dict[str, Any] = {"limit": 4}
        if cursor is not None:
            params["cursor"] = cursor
        body = client.get(
            "/v1/sync/events", headers=device_headers(reader["token"]), params=params
        ).json()
        seen += body["events"]
        cursor = body["cursor"]
        if not pushing and not body["has_more"]:
            break
    for thread in threads:
        thread.join()
    assert failures == []
    seqs = [e["server_seq"] for e in seen]
    assert seqs == sorted(set(seqs))  # strictly increasing: no event twice
    everything = _pull_all(client, reader["token"])
    assert [e["id"] for e in seen] == [e["id"] for e in everything]  # none missed
    pushed = {e["id"] for _, events in chains for e in events}
    assert pushed <= {e["id"] for e in seen}


def test_the_device_list_refuses_members_keys_and_the_superadmin(
    client: TestClient, shop: Shop
) -> None:
    """The one sync route the generated role test cannot see (it takes a device too)."""
    from tests.server.security import create_key, key_headers, superadmin_headers
    from tests.server.test_roles import _member

    register(client, shop.headers)
    for headers in (
        _member(client, shop, "user"),
        key_headers(create_key(client, shop, "live")["secret"]),
        superadmin_headers(client),
    ):
        assert_error_shape(client.get("/v1/sync/devices", headers=headers), 403)


def test_a_change_the_database_refuses_is_kept_and_the_chain_goes_on(
    client: TestClient, shop: Shop, tmp_path: Path
) -> None:
    """A payment for an invoice the server does not have: the foreign key refuses it (an
    IntegrityError inside the event's savepoint), the rest of the batch is applied."""
    from invoicer.services.commands.payments import RecordPayment
    from tests.store.devices import as_device

    made = register(client, shop.headers)
    with device_store(tmp_path / "a", made) as device:
        customer = device.customer()
        number = device.invoice(customer)
        issued = next(i for i in device.svc.invoices.list(limit=5).items if i.number == number)
        with as_device(device.svc, device.device_id):
            device.svc.payments.add(issued.id, RecordPayment(amount="1.00"))
        events = device.events()
    paid = events[-1]
    assert paid["entity"] == "payment"
    state = json.loads(paid["state"])
    state["row"] = {**state["row"], "id": "p-orphan", "invoice_id": "no-such-invoice"}
    orphan = crafted(paid, "payment.add", "payment", "p-orphan", state)
    later = crafted(orphan, "customer.update", "customer", customer, json.loads(events[1]["state"]))
    answer = _push(client, made["token"], [*events, orphan, later])
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [r["status"] for r in results] == ["stored"] * len(events) + ["refused", "stored"]
    assert "database refused it" in results[-2]["reason"]
    assert "INSERT" not in results[-2]["reason"]  # no SQL in what people read
    server = _server(client, shop)
    assert server.invoices.get(issued.id).paid == Decimal("1.00")  # the real one, not the orphan
    assert server.audit.verify().ok


def test_a_suspended_shops_devices_are_refused(client: TestClient, shop: Shop) -> None:
    from tests.server.security import superadmin_headers

    made = register(client, shop.headers)
    platform = superadmin_headers(client)
    suspended = client.post(
        f"/v1/platform/shops/{shop.shop_id}/suspension", headers=platform, json={"suspended": True}
    )
    assert suspended.status_code == 200, suspended.text
    answer = client.get("/v1/sync/state", headers=device_headers(made["token"]))
    assert assert_error_shape(answer, 403)["code"] == "shop_suspended"


def test_a_full_batch_larger_than_other_requests_is_taken(
    client: TestClient, shop: Shop, tmp_path: Path
) -> None:
    """MAX_BATCH events of whole invoices weigh more than the API's usual body limit."""
    made = register(client, shop.headers)
    with device_store(tmp_path / "a", made) as device:
        customer = device.customer()
        while len(device.events()) < protocol.MAX_BATCH:
            device.invoice(customer)
        events = device.events()[: protocol.MAX_BATCH]
    body = json.dumps({"events": events})
    assert len(body) > client.app.state.invoicer.config.max_body_bytes  # type: ignore[attr-defined]
    answer = _push(client, made["token"], events)
    assert answer.status_code == 200, answer.text[:500]
    assert {r["status"] for r in answer.json()["results"]} == {"stored"}
    # Other routes keep their limit.
    big = client.post(
        "/v1/customers", headers=shop.headers, json={"name": "x", "notes": "x" * 1_100_000}
    )
    assert_error_shape(big, 413)


def test_history_from_before_complete_payloads_is_kept_not_applied(
    client: TestClient, shop: Shop, tmp_path: Path
) -> None:
    """A store older than the event log (its events in the legacy format, chain "local"):
    its history is kept in the chain on the server and said to be refused, never dropped."""
    from invoicer.services.app import open_services
    from tests.server.sync_devices import DeviceStore
    from tests.store.test_event_log_upgrade import old_file

    path = tmp_path / "old.sqlite"
    old_file(path)
    made = register(client, shop.headers, history=True)
    with open_services(path) as svc:
        events = DeviceStore(svc, made["device_id"]).all_events()
    legacy = [e for e in events if e["schema_version"] == 1]
    assert legacy
    answer = _push(client, made["token"], events)
    assert answer.status_code == 200, answer.text
    results = {r["id"]: r for r in answer.json()["results"]}
    for event in legacy:
        assert results[event["id"]]["status"] == "refused"
        assert "complete payloads" in results[event["id"]]["reason"]
    assert answer.json()["chains"]["local"] == max(e["device_seq"] for e in events)
    assert _server(client, shop).audit.verify().ok


def test_an_api_key_registers_a_device_in_its_own_mode(client: TestClient, shop: Shop) -> None:
    from tests.server.security import create_key, key_headers

    live = register(client, key_headers(create_key(client, shop, "live")["secret"]))
    test = register(client, key_headers(create_key(client, shop, "test")["secret"]))
    listed = client.get("/v1/sync/devices", headers=shop.headers).json()["data"]
    assert [d["device_id"] for d in listed if d["name"] == "Laptop"] == [live["device_id"]]
    assert test["shop_id"] != live["shop_id"]  # the test-mode shadow's, never the live shop's


def test_a_device_changes_only_its_own_drafts_and_issues_only_from_its_series(
    client: TestClient, shop: Shop, tmp_path: Path
) -> None:
    first, second = register(client, shop.headers), register(client, shop.headers, name="Desk")
    with device_store(tmp_path / "a", first) as a:
        customer = a.customer("Jan")
        with as_device(a.svc, a.device_id):
            draft = a.svc.invoices.create_draft(NewDraft(customer_id=customer)).id
        assert _push(client, first["token"], a.events()).status_code == 200
        draft_state = json.loads(a.events()[-1]["state"])
        with as_device(a.svc, a.device_id):
            a.svc.invoices.add_line(draft, NewLine(description="Tea", unit_price="4.00"))
            issued = a.svc.invoices.issue(draft)
        issue_state = json.loads(a.events()[-1]["state"])
    assert issued.number
    with device_store(tmp_path / "b", second) as b:
        own = b.events()
        assert _push(client, second["token"], own).status_code == 200
        # B writes events about A's draft, and an invoice numbered in A's series.
        changed = {**draft_state, "row": {**draft_state["row"], "notes": "B was here"}}
        edit = crafted(own[-1], "invoice.update_draft", "invoice", draft, changed)
        foreign = dict(issue_state["row"], id=str(uuid.uuid4()))
        forged = crafted(
            edit, "invoice.issue", "invoice", foreign["id"], {**issue_state, "row": foreign}
        )
        register_other = crafted(
            forged,
            "device.register",
            "device",
            "phantom",
            {
                "row": {
                    "id": "phantom",
                    "code": "Z",
                    "series_prefix": "Z",
                    "registered_at": "2026-03-02T12:00:00",
                }
            },
        )
    answer = _push(client, second["token"], [edit, forged, register_other])
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [r["status"] for r in results] == ["refused"] * 3
    assert "made" in results[0]["reason"]
    assert "series" in results[1]["reason"]
    assert "registered by the server" in results[2]["reason"]
    svc = _server(client, shop)
    assert svc.invoices.get(draft).notes != "B was here"
    assert [d.id for d in svc.devices.list() if d.id == "phantom"] == []

"""A VIES stand-in on 127.0.0.1: speaks the checkVat SOAP protocol of the bundled WSDL and
answers as the official test service does (VAT.md §3.3): vatNumber 100 valid, 200 invalid,
201 and up faults; real-looking numbers valid; "999" answers too slowly (timeouts)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from lxml import etree

TYPES = "urn:ec.europa.eu:taxud:vies:services:checkVat:types"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
FAULT_NUMBERS = {
    "201": "INVALID_INPUT", "202": "INVALID_REQUESTER_INFO", "300": "SERVICE_UNAVAILABLE",
    "301": "MS_UNAVAILABLE", "302": "TIMEOUT", "400": "VAT_BLOCKED", "401": "IP_BLOCKED",
    "500": "GLOBAL_MAX_CONCURRENT_REQ", "501": "GLOBAL_MAX_CONCURRENT_REQ_TIME",
    "600": "MS_MAX_CONCURRENT_REQ", "601": "MS_MAX_CONCURRENT_REQ_TIME",
}  # fmt: skip


class ViesStandIn:
    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []
        self.fail_first: list[str] = []  # fault codes returned before a normal answer

    def answer(self, body: bytes) -> tuple[int, bytes]:
        root = etree.fromstring(body)
        request = root.find(f".//{{{TYPES}}}checkVatApprox")
        fields = {etree.QName(e).localname: (e.text or "") for e in request}
        self.requests.append(fields)
        number = fields.get("vatNumber", "")
        if self.fail_first:
            return 500, fault(self.fail_first.pop(0))
        if number == "999":
            time.sleep(3)
        if number in FAULT_NUMBERS:
            return 500, fault(FAULT_NUMBERS[number])
        valid = number != "200"
        return 200, approx_reply(fields["countryCode"], number, valid)


def fault(code: str) -> bytes:
    return (f'<soap:Envelope xmlns:soap="{SOAP}"><soap:Body><soap:Fault>'
            f"<faultcode>soap:Server</faultcode><faultstring>{code}</faultstring>"
            "</soap:Fault></soap:Body></soap:Envelope>").encode()  # fmt: skip


def approx_reply(country: str, number: str, valid: bool) -> bytes:
    name = "MUSTER GMBH" if valid else "---"
    address = "MARKTPLATZ 5\n80331 MUENCHEN" if valid else "---"
    return (
        f'<soap:Envelope xmlns:soap="{SOAP}"><soap:Body>'
        f'<checkVatApproxResponse xmlns="{TYPES}">'
        f"<countryCode>{country}</countryCode><vatNumber>{number}</vatNumber>"
        f"<requestDate>2026-03-16+01:00</requestDate><valid>{str(valid).lower()}</valid>"
        f"<traderName>{name}</traderName><traderAddress>{address}</traderAddress>"
        f"<requestIdentifier>WAPIAAAAW{number[-4:]}</requestIdentifier>"
        "</checkVatApproxResponse></soap:Body></soap:Envelope>"
    ).encode()


@contextmanager
def running() -> Iterator[tuple[str, ViesStandIn]]:
    stand_in = ViesStandIn()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            status, reply = stand_in.answer(self.rfile.read(length))
            self.send_response(status)
            self.send_header("Content-Type", "text/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            with suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(reply)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield (
            f"http://127.0.0.1:{server.server_port}/taxation_customs/vies/services/checkVatService",
            stand_in,
        )
    finally:
        server.shutdown()
        server.server_close()

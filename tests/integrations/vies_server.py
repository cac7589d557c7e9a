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
PATH = "/taxation_customs/vies/services/checkVatService"
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
        self.invalid: set[str] = set()  # numbers (without country) answered as not valid

    def answer(self, body: bytes) -> tuple[int, bytes]:
        root = etree.fromstring(body)
        request = root.find(f".//{{{TYPES}}}checkVatApprox")
        plain = request is None  # checkVat: no requester, no consultation number
        if plain:
            request = root.find(f".//{{{TYPES}}}checkVat")
        if request is None:
            return 500, fault("INVALID_INPUT")
        fields = {etree.QName(e).localname: (e.text or "") for e in request}
        fields["operation"] = "checkVat" if plain else "checkVatApprox"
        self.requests.append(fields)
        number = fields.get("vatNumber", "")
        if self.fail_first:
            return 500, fault(self.fail_first.pop(0))
        if number == "999":
            time.sleep(3)
        if number in FAULT_NUMBERS:
            return 500, fault(FAULT_NUMBERS[number])
        valid = number != "200" and number not in self.invalid
        if plain:
            return 200, plain_reply(fields["countryCode"], number, valid)
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


def plain_reply(country: str, number: str, valid: bool) -> bytes:
    return (
        f'<soap:Envelope xmlns:soap="{SOAP}"><soap:Body>'
        f'<checkVatResponse xmlns="{TYPES}">'
        f"<countryCode>{country}</countryCode><vatNumber>{number}</vatNumber>"
        f"<requestDate>2026-03-16+01:00</requestDate><valid>{str(valid).lower()}</valid>"
        f"<name>{'MUSTER GMBH' if valid else '---'}</name>"
        f"<address>{'MARKTPLATZ 5' if valid else '---'}</address>"
        "</checkVatResponse></soap:Body></soap:Envelope>"
    ).encode()


def served_wsdl(endpoint: str) -> bytes:
    """The bundled WSDL with its soap:address pointing at this stand-in."""
    from invoicer.resources import read_bytes

    root = etree.fromstring(read_bytes("vies", "checkVatService.wsdl"))
    for address in root.iter("{http://schemas.xmlsoap.org/wsdl/soap/}address"):
        address.set("location", endpoint)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


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

        def do_GET(self) -> None:  # ?wsdl, as the real service publishes it
            host, port = self.server.server_address[:2]
            reply = served_wsdl(f"http://{host}:{port}{PATH}")
            self.send_response(200)
            self.send_header("Content-Type", "text/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield (
            f"http://127.0.0.1:{server.server_port}{PATH}",
            stand_in,
        )
    finally:
        server.shutdown()
        server.server_close()

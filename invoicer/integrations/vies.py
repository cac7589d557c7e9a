"""VIES, the EU's VAT number check (SOAP, zeep, the WSDL bundled in resources/vies/).

`check_vat()` first checks the number offline (format and check digit); only a number that
passes is sent to VIES, with `checkVatApprox` and the shop's own VAT number as requester so
that the consultation number (requestIdentifier) comes back as proof. Temporary faults are
retried with backoff; every fault becomes a message in the user's terms. A failed or missing
check never counts as valid.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from invoicer.domain.errors import InvoicerError
from invoicer.domain.vat import numbers

BINDING = "{urn:ec.europa.eu:taxud:vies:services:checkVat}checkVatBinding"

# VAT.md §3.3: fault string -> (message, retry?)
FAULTS: dict[str, tuple[str, bool]] = {
    "INVALID_INPUT": ("VIES refused the request: the country code or number is malformed.", False),
    "INVALID_REQUESTER_INFO": (
        "VIES refused the shop's own VAT number as requester; check it in the shop profile.",
        False,
    ),
    "SERVICE_UNAVAILABLE": ("VIES is unavailable right now; try again later.", True),
    "MS_UNAVAILABLE": (
        "The tax authority of that Member State does not answer VIES right now; try again later.",
        True,
    ),
    "TIMEOUT": ("VIES did not get an answer from the Member State in time; try again later.", True),
    "VAT_BLOCKED": ("VIES blocks checks of this VAT number.", False),
    "IP_BLOCKED": ("VIES blocks requests from this internet address; contact the EC.", False),
    "GLOBAL_MAX_CONCURRENT_REQ": ("VIES is busy (too many requests); try again shortly.", True),
    "GLOBAL_MAX_CONCURRENT_REQ_TIME": (
        "VIES is busy (too many requests); try again shortly.",
        True,
    ),
    "MS_MAX_CONCURRENT_REQ": (
        "That Member State's VIES service is busy; try again shortly.",
        True,
    ),
    "MS_MAX_CONCURRENT_REQ_TIME": (
        "That Member State's VIES service is busy; try again shortly.",
        True,
    ),
    "SERVER_BUSY": ("VIES is busy; try again shortly.", True),
}


class ViesError(InvoicerError):
    """VIES could not confirm the number (the check did not happen)."""

    def __init__(self, message: str, code: str, retryable: bool) -> None:
        super().__init__(message)
        self.code = code
        self.retryable = retryable


@dataclass(frozen=True, slots=True)
class ViesResult:
    country_code: str
    vat_number: str
    valid: bool
    name: str | None
    address: str | None
    request_date: dt.date | None
    request_id: str | None  # the consultation number, the proof of the check
    checked_at: dt.datetime


def _client(url: str, timeout: float) -> Any:
    import zeep
    from zeep.transports import Transport

    from invoicer.resources import resource_path

    with resource_path("vies", "checkVatService.wsdl") as wsdl:
        client = zeep.Client(
            str(wsdl), transport=Transport(timeout=timeout, operation_timeout=timeout)
        )
    return client.create_service(BINDING, url)


def _clean(text: Any) -> str | None:
    if text is None:
        return None
    value = str(text).strip()
    return None if value in ("", "---") else value


def check_approx(
    country_code: str,
    vat_number: str,
    *,
    requester: str | None,
    url: str,
    timeout: float = 10,
) -> ViesResult:
    """One checkVatApprox call, without the offline check or retries."""
    import requests
    from zeep.exceptions import Fault, TransportError

    service = _client(url, timeout)
    requester_parts = numbers.vies_parts(requester) if requester else (None, None)
    try:
        reply = service.checkVatApprox(
            countryCode=country_code,
            vatNumber=vat_number,
            requesterCountryCode=requester_parts[0],
            requesterVatNumber=requester_parts[1],
        )
    except Fault as fault:
        code = (fault.message or "").strip()
        message, retry = FAULTS.get(code, ("VIES is unavailable right now; try again later.", True))
        raise ViesError(message, code or "UNKNOWN", retry) from None
    except requests.exceptions.Timeout:
        raise ViesError(
            f"VIES did not answer within {timeout:g} seconds.", "NETWORK_TIMEOUT", True
        ) from None
    except (requests.exceptions.ConnectionError, TransportError) as exc:
        raise ViesError(
            f"Could not reach VIES ({type(exc).__name__}); check the internet "
            "connection or the VIES address setting.",
            "NETWORK",
            True,
        ) from None
    return ViesResult(
        country_code=reply.countryCode,
        vat_number=reply.vatNumber,
        valid=bool(reply.valid),
        name=_clean(reply.traderName),
        address=_clean(reply.traderAddress),
        request_date=reply.requestDate,
        request_id=_clean(reply.requestIdentifier),
        checked_at=dt.datetime.now(dt.UTC),
    )


def check_vat(
    number: str,
    *,
    requester: str | None,
    url: str,
    timeout: float = 10,
    retries: int = 2,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> ViesResult:
    """Offline check, then VIES with bounded retries for temporary faults."""
    normalised = numbers.normalize(number, field="vat_number")  # never sends a bad number
    country, digits = numbers.vies_parts(normalised)
    attempt = 0
    while True:
        try:
            return check_approx(country, digits, requester=requester, url=url, timeout=timeout)
        except ViesError as error:
            if not error.retryable or attempt >= retries:
                raise
            sleep(backoff * (2**attempt))
            attempt += 1

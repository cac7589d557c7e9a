"""Customers and products: list (search, cursor), create, show, change, archive."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from fastapi.responses import JSONResponse

from invoicer.server.auth import MemberServices
from invoicer.server.routes.common import (
    answer,
    check_limit,
    decode_cursor,
    encode_cursor,
    listing,
)
from invoicer.server.routes.common import (
    router as make_router,
)
from invoicer.server.strict import strict
from invoicer.services.commands import CustomerChanges, NewCustomer, NewProduct, ProductChanges

router = make_router("customers and products")

Search = Annotated[
    str | None,
    Query(max_length=200, description="Matches the start of a name, e-mail, VAT number..."),
]
Cursor = Annotated[
    str | None, Query(max_length=64, description="next_cursor of the previous page.")
]
Limit = Annotated[int, Query(ge=1, le=100)]
Archived = Annotated[bool, Query(description="Include archived rows.")]


def _page(
    service: Any,
    object_name: str,
    search: str | None,
    archived: bool,
    cursor: str | None,
    limit: int,
) -> JSONResponse:
    offset = decode_cursor(cursor)
    page = service.list(
        search=search, include_archived=archived, offset=offset, limit=check_limit(limit)
    )  # type: ignore[attr-defined]
    more = offset + len(page.items) < page.total or page.total_capped
    return listing(
        list(page.items),
        object_name=object_name,
        next_cursor=encode_cursor(offset + len(page.items)) if more and page.items else None,
        total=page.total,
    )


@router.get("/customers", summary="List customers")
def customers(
    svc: MemberServices,
    search: Search = None,
    archived: Archived = False,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> JSONResponse:
    return _page(svc.customers, "customer", search, archived, cursor, limit)


@router.post("/customers", status_code=201, summary="Create a customer")
def create_customer(svc: MemberServices, body: strict(NewCustomer)) -> JSONResponse:  # type: ignore[valid-type]
    return answer(svc.customers.add(body), 201, "customer")


@router.get("/customers/{customer_id}", summary="A customer")
def customer(svc: MemberServices, customer_id: str) -> JSONResponse:
    return answer(svc.customers.get(customer_id), object_name="customer")


@router.patch("/customers/{customer_id}", summary="Change a customer (the fields given)")
def update_customer(
    svc: MemberServices, customer_id: str, body: strict(CustomerChanges)
) -> JSONResponse:  # type: ignore[valid-type]
    return answer(svc.customers.update(customer_id, body), object_name="customer")


@router.post("/customers/{customer_id}/archive", summary="Archive a customer")
def archive_customer(svc: MemberServices, customer_id: str) -> JSONResponse:
    return answer(svc.customers.archive(customer_id), object_name="customer")


@router.get("/products", summary="List products")
def products(
    svc: MemberServices,
    search: Search = None,
    archived: Archived = False,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> JSONResponse:
    return _page(svc.products, "product", search, archived, cursor, limit)


@router.post("/products", status_code=201, summary="Create a product")
def create_product(svc: MemberServices, body: strict(NewProduct)) -> JSONResponse:  # type: ignore[valid-type]
    return answer(svc.products.add(body), 201, "product")


@router.get("/products/{product_id}", summary="A product")
def product(svc: MemberServices, product_id: str) -> JSONResponse:
    return answer(svc.products.get(product_id), object_name="product")


@router.patch("/products/{product_id}", summary="Change a product (the fields given)")
def update_product(
    svc: MemberServices, product_id: str, body: strict(ProductChanges)
) -> JSONResponse:  # type: ignore[valid-type]
    return answer(svc.products.update(product_id, body), object_name="product")


@router.post("/products/{product_id}/archive", summary="Archive a product")
def archive_product(svc: MemberServices, product_id: str) -> JSONResponse:
    return answer(svc.products.archive(product_id), object_name="product")

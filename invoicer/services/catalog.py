"""What customers and products share: get, archive (never delete once used), a searchable,
paged list, and the audit state of a row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from invoicer.domain.errors import NotFound
from invoicer.services import views
from invoicer.services.base import Service, check_paging
from invoicer.store import audit
from invoicer.store.event_state import row_state

V = TypeVar("V")


def like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class CatalogService(Service, Generic[V]):
    model: Any  # the SQLAlchemy model
    entity: str  # "customer", "product"
    to_view: Callable[[Any], V]
    search_columns: tuple[str, ...]  # columns a search matches at their start

    def _row(self, session: Session, row_id: str) -> Any:
        row = session.get(self.model, row_id)
        if row is None:
            raise NotFound(f"There is no {self.entity} with id {row_id}.")
        return row

    def _state(self, row: Any) -> dict[str, Any]:
        return {"row": row_state(row)}  # the whole row: the event is the sync feed

    def _log(self, session: Session, action: str, row: Any) -> None:
        audit.append(session, f"{self.entity}.{action}", self.entity, row.id, self._state(row))

    def get(self, row_id: str) -> V:
        with self._read() as session:
            return type(self).to_view(self._row(session, row_id))

    def archive(self, row_id: str) -> V:
        with self._write() as session:
            row = self._row(session, row_id)
            row.archived = True
            self._log(session, "archive", row)
            return type(self).to_view(row)

    def list(
        self,
        search: str | None = None,
        include_archived: bool = False,
        offset: int = 0,
        limit: int = 50,
    ) -> views.Page[V]:
        offset, limit = check_paging(offset, limit)
        model = self.model
        query = select(model)
        if not include_archived:
            query = query.where(model.archived.is_(False))
        if search and search.strip():
            pattern = like_prefix(search.strip())
            terms = [getattr(model, c).ilike(pattern, escape="\\") for c in self.search_columns]
            terms.append(model.name.ilike("% " + pattern, escape="\\"))  # a later word of the name
            query = query.where(or_(*terms))
        with self._read() as session:
            total = session.execute(select(func.count()).select_from(query.subquery())).scalar()
            rows = session.execute(
                query.order_by(func.lower(model.name)).offset(offset).limit(limit)
            ).scalars()
            items = tuple(type(self).to_view(r) for r in rows)
        return views.Page(items, int(total or 0), offset, limit)

"""The request bodies of the sync routes, as commands (services/commands/base.py): their
shape only; the sync log judges the values."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import Field, SkipValidation, WithJsonSchema

from invoicer.services.commands.base import Command, Flag, Text
from invoicer.services.sync.protocol import MAX_BATCH


class NewSyncDevice(Command):
    required: ClassVar[tuple[str, ...]] = ("name",)

    name: Text = Field(default=None, description="What the merchant calls it (1-60 characters).")
    history: Flag = Field(
        default=None,
        description="Upload this device's events from before sync (the shop's first device, "
        "a shop with no documents issued on the server yet); default false.",
    )


Events = Annotated[
    SkipValidation[list[Any] | None],
    WithJsonSchema({"type": "array", "items": {"type": "object"}, "maxItems": MAX_BATCH}),
]


class SyncPush(Command):
    required: ClassVar[tuple[str, ...]] = ("events",)

    events: Events = Field(
        default=None, description="The device's events in their chains' order (wire form)."
    )

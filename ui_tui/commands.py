"""The command palette's one provider: every action, filtered by where the user is.

App actions are always offered; a screen's actions are offered on that screen only when the
screen allows them right now (`check_action`), so "Issue" shows up on a draft and not on a
paid invoice.
"""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from ui_tui.actions import ACTIONS, UserAction


class InvoicerCommands(Provider):
    def _available(self) -> list[tuple[UserAction, bool]]:
        screen = self.screen
        scope = getattr(screen, "SCOPE", "")
        found: list[tuple[UserAction, bool]] = []
        for action in ACTIONS:
            if "app" in action.scopes:
                found.append((action, True))
            elif scope in action.scopes:
                name, *_ = action.action.split("(")
                if screen.check_action(name, ()):
                    found.append((action, False))
        return found

    async def _run(self, action: UserAction, on_app: bool) -> None:
        target = self.app if on_app else self.screen
        await target.run_action(action.action)

    def _text(self, action: UserAction) -> str:
        key = action.keys.split(",")[0]
        if not key:
            return action.title
        return f"{action.title}  ({self.app.get_key_display(Binding(key, action.action))})"

    async def discover(self) -> Hits:
        for action, on_app in self._available():
            yield DiscoveryHit(
                self._text(action), partial(self._run, action, on_app), help=action.help
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action, on_app in self._available():
            text = self._text(action)
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(text),
                    partial(self._run, action, on_app),
                    text=text,
                    help=action.help,
                )

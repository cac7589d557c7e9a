"""The TUI dashboard's merchant stats: the sparkline of received per day holds the service's
figures and draws them; paid against open is shown (a real app on real services)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from textual.widgets import Sparkline

from tests.tui.conftest import TODAY, fill_fixed_data, make_app, screen_text, settle
from ui_tui import format as fmt

BARS = "▁▂▃▄▅▆▇█"


def _region_text(app: Any, widget: Any) -> list[str]:
    x, y, width, height = widget.region
    return [line[x : x + width] for line in screen_text(app).splitlines()[y : y + height]]


async def test_the_sparkline_shows_received_per_day(svc: Any, tmp_path: Path) -> None:
    data = fill_fixed_data(svc)
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        spark = app.screen.query_one("#received-spark", Sparkline)
        [eur] = svc.merchant_stats.stats(30, end=TODAY).currencies
        assert spark.data == [fmt.minor_units(d.received, "EUR") for d in eur.days]
        # Received: the paid invoice's gross on the 10th and 100.00 on the 12th of March.
        by_day = dict(zip((d.day for d in eur.days), spark.data, strict=True))
        assert by_day[dt.date(2026, 3, 10)] == fmt.minor_units(data["paid"].gross, "EUR")
        assert by_day[dt.date(2026, 3, 12)] == 10000
        assert sum(spark.data) == by_day[dt.date(2026, 3, 10)] + 10000
        drawn = "".join(_region_text(app, spark))
        assert "█" in drawn  # the best day reaches the top
        assert set(drawn) - {" "} <= set(BARS)
        assert len(set(drawn) - {" "}) >= 2  # days with money stand out from empty ones
        text = screen_text(app)
        assert "Received, 30 days" in text
        assert "2 paid · 2 open" in text  # paid + credited settled; part-paid + overdue open
        assert fmt.money(eur.received, "EUR") in text


async def test_an_empty_shop_draws_a_flat_sparkline(shop_svc: Any, tmp_path: Path) -> None:
    app = make_app(shop_svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        spark = app.screen.query_one("#received-spark", Sparkline)
        assert spark.data == [0] * 30
        assert "0 paid · 0 open" in screen_text(app)


async def test_after_the_first_look_the_stats_follow_once_the_services_open(
    tmp_path: Path,
) -> None:
    """`invoicer tui` draws the dashboard from a first look (no stats there), then asks the
    opened services for them."""
    from invoicer.services.app import open_services
    from ui_tui.background_services import BackgroundServices
    from ui_tui.launch import tui_app

    path = tmp_path / "shop.sqlite"
    with open_services(path, today=lambda: TODAY) as svc:
        fill_fixed_data(svc)
        [eur] = svc.merchant_stats.stats(30, end=TODAY).currencies
    with tui_app(path, today=TODAY) as app:
        assert isinstance(app._services, BackgroundServices)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            spark = app.screen.query_one("#received-spark", Sparkline)
            assert spark.data == [fmt.minor_units(d.received, "EUR") for d in eur.days]
            assert "2 paid · 2 open" in screen_text(app)

"""The privacy console's parts without HTTP: criteria, the chart, the pending signatures."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from exchange.transparency.pseudonym import HmacPseudonymizer
from portal.citizen.remote_signing import PendingSignatures, PreparedSignature
from portal.privacy.chart import AccessChart, Series, _scale, access_chart, render_svg
from portal.privacy.criteria import CriteriaInvalid, parse_criteria
from tests.portal.privacy.conftest import CITIZEN

PSEUDONYMS = HmacPseudonymizer(b"k" * 32)


def test_criteria_pseudonymise_the_person_and_cover_whole_days() -> None:
    criteria = parse_criteria({"person_id": CITIZEN, "since": "2026-01-02", "until": "2026-01-02",
                               "member": " LA/GOV/MOES "}, pseudonymizer=PSEUDONYMS)
    where = criteria.where
    assert where.subject_pseudonym == PSEUDONYMS.pseudonym(CITIZEN)
    assert where.member == "LA/GOV/MOES" and where.user_id is None
    assert where.since == datetime(2026, 1, 2, tzinfo=UTC)
    assert where.until == datetime(2026, 1, 3, tzinfo=UTC)
    assert CITIZEN not in criteria.recorded()


def test_control_characters_and_overlong_values_are_refused() -> None:
    with pytest.raises(CriteriaInvalid) as caught:
        parse_criteria({"member": "a\x00b", "service": "x" * 300}, pseudonymizer=PSEUDONYMS)
    assert set(caught.value.errors) == {"member", "service"}


def test_the_y_axis_ends_on_a_round_number() -> None:
    assert [_scale(n) for n in (0, 1, 3, 7, 11, 180, 4000)] == [1, 1, 5, 10, 20, 200, 5000]


def test_the_svg_escapes_text_and_uses_no_style_attribute() -> None:
    chart = AccessChart((date(2026, 1, 1), date(2026, 1, 2)),
                        (Series("<script>", (1, 4), "#0072B2"),))
    svg = render_svg(chart, title="a <b> & c", description="d")
    assert "<script>" not in svg and "a &lt;b&gt; &amp; c" in svg
    assert "style=" not in svg


def test_the_chart_counts_per_member_per_day(db_session: Session) -> None:
    chart = access_chart(db_session, last_day=date(1999, 1, 1), days=3)
    assert chart.days == (date(1998, 12, 30), date(1998, 12, 31), date(1999, 1, 1))
    assert chart.series == ()


def test_pending_signatures_expire() -> None:
    now = [0.0]
    pending = PendingSignatures(lifetime=300, clock=lambda: now[0])
    prepared = object.__new__(PreparedSignature)
    pending.put(("s", "d"), prepared)
    assert pending.get(("s", "d")) is prepared
    assert pending.get(("other", "d")) is None
    now[0] = 301
    assert pending.get(("s", "d")) is None

"""The deadline rules in SQL (deadlines.state_q, rank, board_order) agree with the Python ones
(classify, ordering_key) for every state, kind and boundary day."""

from datetime import date, timedelta

import pytest

from roadmaps.choices import DeadlineState
from roadmaps.models import DeadlineKind, ItemStatus, RoadmapItem
from roadmaps.services import board, deadlines
from tests.roadmaps.conftest import make_item, make_roadmap

TODAY = date(2025, 3, 10)
WITHIN = 7


@pytest.fixture
def items(world):
    """Dated measures of both kinds on every day around today, the due-soon window's end and
    past it, with every status; measures without a date and those the document calls done."""
    roadmap = make_roadmap(world.authority)
    made = []
    offsets = [-400, -2, -1, 0, 1, 2, WITHIN - 1, WITHIN, WITHIN + 1, WITHIN + 2, 300]
    for kind in (DeadlineKind.DATE, DeadlineKind.UNTIL):
        for offset in offsets:
            for status in ItemStatus.values:
                day = TODAY + timedelta(days=offset)
                made.append(
                    make_item(
                        roadmap,
                        f"{len(made) + 1}.",
                        deadline_kind=kind,
                        deadline_date=day,
                        deadline_text=f"{day:%d.%m.%Y}",
                        status=status,
                    )
                )
    for kind in (DeadlineKind.NONE, DeadlineKind.INVALID, DeadlineKind.DONE):
        for status in ItemStatus.values:
            made.append(
                make_item(
                    roadmap,
                    f"{len(made) + 1}.",
                    deadline_kind=kind,
                    deadline_date=None,
                    deadline_text="",
                    status=status,
                )
            )
    return made


@pytest.mark.parametrize("within", [0, WITHIN, deadlines.DUE_SOON_DAYS])
def test_every_state_and_boundary_agrees(items, within):
    expected = {i.pk: deadlines.classify(i, TODAY, within) for i in items}
    assert set(expected.values()) == set(DeadlineState)  # every state is met
    for state in DeadlineState:
        chosen = set(
            RoadmapItem.objects.filter(deadlines.state_q(state, TODAY, within)).values_list(
                "pk", flat=True
            )
        )
        assert chosen == {pk for pk, s in expected.items() if s == state}, state
    ranked = dict(
        RoadmapItem.objects.annotate(r=deadlines.rank(TODAY, within)).values_list("pk", "r")
    )
    assert {pk: deadlines.state_of_rank(r) for pk, r in ranked.items()} == expected


@pytest.mark.parametrize("within", [0, WITHIN])
def test_the_order_agrees(items, within):
    python = [i.pk for i in deadlines.ordered(RoadmapItem.objects.all(), TODAY, within)]
    sql = board.items(RoadmapItem.objects.all(), TODAY, within)
    assert [i.pk for i in sql] == python
    assert [board.state_of(i) for i in sql] == [deadlines.classify(i, TODAY, within) for i in sql]

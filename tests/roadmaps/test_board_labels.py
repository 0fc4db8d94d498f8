"""The deadlines board names its two states apart (issue 14): «Срок» (against the deadline)
and «Исполнение» (the measure's status), in the filter and the table alike; the «срок скоро»
days box has a label and a help text tied to it."""

import re

from django.urls import reverse


def test_the_board_says_term_and_execution_not_state_and_status(client, world, board):
    client.force_login(world.coordinator)
    page = client.get(reverse("roadmaps:deadlines")).content.decode()
    headers = re.findall(r"<th[^>]*>\s*(?:<a[^>]*>)?([^<]+)", page)
    headers = [h.strip() for h in headers]
    assert "Срок" in headers and "Исполнение" in headers
    assert "Состояние" not in page and "Статус" not in headers
    assert '<label class="form-label" for="id_state">Срок</label>' in page


def test_the_due_soon_box_is_labelled_and_explained(client, world, board):
    client.force_login(world.coordinator)
    page = client.get(reverse("roadmaps:deadlines")).content.decode()
    assert '<label class="form-label" for="id_within">«Срок скоро» — дней до срока</label>' in page
    box = re.search(r"<input[^>]*id=\"id_within\"[^>]*>", page).group(0)
    assert 'aria-describedby="id_within_helptext"' in box
    assert re.search(
        r'id="id_within_helptext">Мероприятие со сроком в ближайшие столько дней отмечается '
        r"«срок скоро»: от 0 до 366, по умолчанию 14\.<",
        page,
    )

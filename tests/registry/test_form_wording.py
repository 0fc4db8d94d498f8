"""The row form says what will happen (issue 14): an official's change goes into a proposal
(«Предложить изменение», the officer reviews it within 10 working days), the authorized
officer's is written at once («Внесение процесса в реестр» / «Сохранить»)."""

import re

import pytest
from django.urls import reverse

NOTICE = "уполномоченное лицо в течение 10 рабочих дней со дня получения проверит"
PROPOSE = "Предложить изменение"


def heading_and_button(page: str) -> tuple[str, str]:
    heading = re.search(r'<h1[^>]*data-testid="form-heading">(.*?)</h1>', page, re.S).group(1)
    button = re.search(r'<button class="btn btn-primary" type="submit">(.*?)</button>', page)
    return " ".join(re.sub(r"<[^>]+>", " ", heading).split()), button.group(1)


@pytest.mark.parametrize(
    ("role", "edit", "heading", "button", "title"),
    [
        ("official", False, f"{PROPOSE} — новый процесс", PROPOSE, f"{PROPOSE}: новый процесс"),
        ("official", True, f"{PROPOSE} процесса 1", PROPOSE, f"{PROPOSE}: процесс 1"),
        ("officer", False, "Внесение процесса в реестр", "Сохранить", "Новый процесс"),
        ("officer", True, "Изменение процесса 1", "Сохранить", "Изменение процесса 1"),
    ],
)
def test_the_form_says_whether_it_proposes_or_writes(
    client, world, role, edit, heading, button, title
):
    client.force_login(getattr(world, role))
    url = reverse("registry:process_edit", args=[world.own_row.pk]) if edit else None
    page = client.get(url or reverse("registry:process_add")).content.decode()
    shown_heading, shown_button = heading_and_button(page)
    assert shown_heading.startswith(heading)
    assert shown_button == button
    assert f"<title>{title}</title>" in page
    assert (NOTICE in page) is (role == "official")

"""The deadlines board's authority, responsible and section filters load their choices as one
types (issue 13): each endpoint offers exactly what the user's filter accepts, and the page
renders only the chosen option, not every authority."""

import json

from django.urls import reverse

URL = reverse("roadmaps:deadlines")


def labels(client, name, q="", **forward):
    answer = client.get(reverse(f"roadmaps:{name}"), {"q": q, "forward": json.dumps(forward)})
    assert answer.status_code == 200, answer.content
    return [r["text"] for r in answer.json()["results"]]


def test_owners_are_those_of_the_plans_the_user_sees(client, world, board):
    client.force_login(world.coordinator)
    assert set(labels(client, "owner_autocomplete")) == {
        str(world.city_authority),
        str(world.authority),
        str(world.region),
    }
    assert labels(client, "owner_autocomplete", "АДМИНИСТРАЦ") == [str(world.city_authority)]
    client.force_login(world.city_officer)
    assert labels(client, "owner_autocomplete") == [str(world.city_authority)]


def test_responsible_bodies_are_scoped(client, world, board):
    client.force_login(world.city_officer)
    assert labels(client, "responsible_autocomplete") == [str(world.city_unit)]
    client.force_login(world.coordinator)
    assert str(board.minsport) in labels(client, "responsible_autocomplete", "спорт")


def test_sections_narrowed_to_the_authority_chosen(client, world, board):
    client.force_login(world.coordinator)
    found = labels(client, "section_autocomplete", authority=str(world.authority.pk))
    assert len(found) == 1 and board.section.number in found[0]
    assert labels(client, "section_autocomplete", authority=str(world.city_authority.pk)) == []
    client.force_login(world.city_officer)
    assert labels(client, "section_autocomplete") == []


def test_the_page_renders_only_the_chosen_authority(client, world, board):
    client.force_login(world.coordinator)
    html = client.get(URL, {"authority": world.city_authority.pk}).content.decode()
    assert reverse("roadmaps:owner_autocomplete") in html
    assert f'<option value="{world.city_authority.pk}" selected>' in html
    assert f'<option value="{world.region.pk}"' not in html

"""The iCalendar writer and the per-user feed of deadlines."""

from datetime import UTC, date, datetime, timedelta

from django.urls import reverse

from roadmaps.models import CalendarFeedToken
from roadmaps.services import ical


def test_escaping_and_folding():
    assert ical.escape_text("a,b;c\\d\r\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "Утвержден порядок взаимодействия " * 5
    folded = ical.fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line


def test_calendar_structure():
    text = ical.calendar(
        [ical.Event("item-1@portal", date(2025, 8, 31), "1.1. Мероприятие; срок", "a\nb")],
        "Сроки",
        now=datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
    )
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert "DTSTART;VALUE=DATE:20250831" in lines
    assert "DTEND;VALUE=DATE:20250901" in lines
    assert "DTSTAMP:20250301T093000Z" in lines
    assert "UID:item-1@portal" in lines
    assert "SUMMARY:1.1. Мероприятие\\; срок" in lines
    assert "DESCRIPTION:a\\nb" in lines


def feed_url(client, user):
    """The address the board shows once the user has asked for it (by POST)."""
    client.force_login(user)
    if not CalendarFeedToken.objects.filter(user=user).exists():
        client.post(reverse("roadmaps:calendar_reissue"))
    page = client.get(reverse("roadmaps:deadlines"))
    client.logout()
    token = CalendarFeedToken.objects.get(user=user).token
    assert token in page.context["feed_url"]
    return reverse("roadmaps:calendar", args=[token])


def events(text):
    return [block for block in text.split("BEGIN:VEVENT")[1:]]


def test_feed_of_a_coordinator(client, world, board):
    url = feed_url(client, world.coordinator)
    answer = client.get(url)  # no session: the address is the credential
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/calendar")
    # Personal data: kept by no shared cache, asked again by the calendar each time.
    assert answer["Cache-Control"] == "private, no-cache"
    text = answer.content.decode()
    dated = [i for i in board.order if i.deadline_date]
    assert len(events(text)) == len(dated) == 6
    assert text.count("END:VEVENT") == 6
    for item in dated:
        assert f"UID:roadmap-item-{item.pk}@" in text
    # "до" a date: the event is on the last day on time, the day before.
    last = board.soon.deadline_date - timedelta(days=1)
    assert f"DTSTART;VALUE=DATE:{last:%Y%m%d}" in text


def test_feed_narrowed_to_an_authority_and_scoped(client, world, board):
    url = feed_url(client, world.coordinator)
    text = client.get(url, {"authority": world.city_authority.pk}).content.decode()
    assert len(events(text)) == 1
    assert f"UID:roadmap-item-{board.city_item.pk}@" in text
    city = feed_url(client, world.city_officer)
    text = client.get(city).content.decode()
    assert len(events(text)) == 1  # the Omsk plans are not his
    assert (
        client.get(city, {"authority": world.authority.pk}).content.decode().count("BEGIN:VEVENT")
        == 0
    )


def test_wrong_token_or_inactive_user(client, world, board):
    assert client.get(reverse("roadmaps:calendar", args=["nope"])).status_code == 404
    url = feed_url(client, world.officer)
    assert client.get(url).status_code == 200
    world.officer.is_active = False
    world.officer.save()
    assert client.get(url).status_code == 404
    assert client.get(url.replace(".ics", "x.ics")).status_code == 404
    # Only slug characters reach the database (PostgreSQL refuses NUL in a text parameter).
    assert client.get("/roadmaps/calendar/%00.ics").status_code == 404
    assert client.get("/roadmaps/calendar/a%20b.ics").status_code == 404


def test_feed_tokens_are_slugs():
    # The address takes <slug:token>: every token secrets.token_urlsafe gives must match.
    import re

    from roadmaps.models import _new_feed_token

    assert all(re.fullmatch(r"[-a-zA-Z0-9_]+", _new_feed_token()) for _ in range(2000))


def test_user_reissues_his_feed_address_and_the_old_one_stops_at_once(client, world, board):
    old = feed_url(client, world.coordinator)
    assert client.get(old).status_code == 200
    client.force_login(world.coordinator)
    page = client.get(reverse("roadmaps:deadlines")).content.decode()
    assert "Выпустить новую ссылку" in page
    assert "Прежняя ссылка сразу перестанет работать" in page
    # Only by POST: a link or a prefetch cannot reissue it.
    assert client.get(reverse("roadmaps:calendar_reissue")).status_code == 405
    answer = client.post(reverse("roadmaps:calendar_reissue"), follow=True)
    assert "Прежняя ссылка больше не работает" in answer.content.decode()
    new = reverse("roadmaps:calendar", args=[CalendarFeedToken.objects.get().token])
    assert new != old
    assert new in answer.context["feed_url"]
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_administrator_revokes_any_feed_address(client, world, board):
    officer_url = feed_url(client, world.officer)
    coordinator_url = feed_url(client, world.coordinator)
    tokens = CalendarFeedToken.objects.filter(user=world.officer)
    changelist = reverse("admin:roadmaps_calendarfeedtoken_changelist")
    # A coordinator may not see anyone's calendar address.
    client.force_login(world.coordinator)
    assert client.get(changelist).status_code == 403
    client.force_login(world.admin)
    page = client.get(changelist).content.decode()
    assert tokens.get().token not in page  # the secret itself is not shown
    answer = client.post(
        changelist,
        {"action": "revoke", "_selected_action": [tokens.get().pk]},
        follow=True,
    )
    assert "Отозвано ссылок на календарь: 1." in answer.content.decode()
    client.logout()
    assert client.get(officer_url).status_code == 404
    assert client.get(coordinator_url).status_code == 200
    # The officer's page gives him a new address, which works.
    assert client.get(feed_url(client, world.officer)).status_code == 200


def test_the_board_writes_no_address_on_get(client, world, board):
    """Opening the page creates nothing: the address is made by «Получить ссылку» (a POST)."""
    client.force_login(world.officer)
    page = client.get(reverse("roadmaps:deadlines"))
    assert not CalendarFeedToken.objects.exists()
    html = page.content.decode()
    assert 'data-testid="calendar-issue"' in html and 'data-testid="calendar-url"' not in html
    answer = client.post(reverse("roadmaps:calendar_reissue"), follow=True)
    assert "Ссылка на календарь сроков готова." in answer.content.decode()
    token = CalendarFeedToken.objects.get(user=world.officer).token
    assert token in answer.context["feed_url"]

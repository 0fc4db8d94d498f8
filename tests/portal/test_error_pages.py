"""The portal's own Russian error pages (403, 403 on a CSRF failure, 404, 500): in the
base layout, without inline code (the CSP test reads every template)."""

import re

import pytest
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.urls import path

from config.urls import urlpatterns as portal_urls


def broken(request):
    raise RuntimeError("boom")


def ok(request):
    return HttpResponse("ok")


urlpatterns = [path("test-broken/", broken), path("test-post/", ok), *portal_urls]


def cyrillic(text: str) -> bool:
    return re.search("[а-яА-Я]{4}", text) is not None


@override_settings(ROOT_URLCONF=__name__)
def test_500_is_the_russian_page(client):
    client.raise_request_exception = False
    response = client.get("/test-broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert 'data-testid="server-error"' in page
    assert "Ошибка на сервере" in page
    assert "boom" not in page and "Traceback" not in page
    assert "bootstrap.min.css" in page  # the layout's style


def test_500_needs_no_context_and_no_request():
    page = render_to_string("500.html")
    assert "Не удалось выполнить запрос из-за ошибки на сервере." in page
    assert 'href="/"' in page


@override_settings(ROOT_URLCONF=__name__)
def test_csrf_failure_is_the_russian_page(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer)
    response = client.post("/test-post/", {"x": "1"})
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-testid="csrf-failure"' in page
    assert "Страница устарела или cookie отключены: обновите страницу и повторите" in page
    assert "CSRF" not in page  # not Django's English page
    assert 'data-testid="current-user"' in page  # the base layout, with the request


def test_404_and_403_are_the_russian_pages(client, world):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()
    client.force_login(world.coordinator)
    response = client.get("/admin/axes/accessattempt/")
    assert response.status_code == 403
    assert "Недостаточно прав" in response.content.decode()


@pytest.mark.parametrize("name", ["400.html", "403.html", "404.html", "403_csrf.html", "500.html"])
def test_every_error_page_is_in_russian_in_the_layout(name):
    page = render_to_string(name)
    assert cyrillic(page)
    assert "portal.css" in page

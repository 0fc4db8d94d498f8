"""The whole actualization in a real browser: a unit proposes a new row, the authorized
officer reviews the side-by-side diff and approves, publishes, and the public page shows it."""

import pytest
from playwright.sync_api import expect

from registry.models import Process, Proposal, ProposalState
from tests.conftest import World
from tests.e2e.test_browser_registry import fill_new_row, log_in, log_out, menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_propose_review_publish_public(page, live_server):
    world = World()
    log_in(page, live_server, world.official.username)
    menu(page, "Реестр", "Предложить процесс")
    fill_new_row(page)

    # Nothing is in the registry yet: the row waits in the unit's draft proposal.
    expect(page.locator(".alert-success")).to_contain_text("добавлена в предложение")
    assert not Process.objects.filter(function_name__startswith="Организация прохождения").exists()
    expect(page.get_by_test_id("proposal-state")).to_have_text("черновик")
    page.fill("#note", "Новый процесс по итогам анализа кадровых процедур")
    page.click("button:has-text('Сохранить пояснение')")
    page.click("button:has-text('Направить на проверку')")
    expect(page.get_by_test_id("proposal-state")).to_have_text("на проверке")
    proposal = Proposal.objects.get()
    expect(page.get_by_test_id("review-due")).to_have_text(f"{proposal.review_due:%d.%m.%Y}")
    # The author cannot approve his own proposal: there is no such button for him.
    expect(page.get_by_test_id("review-actions")).to_have_count(0)
    log_out(page)

    log_in(page, live_server, world.officer.username)
    page.get_by_test_id("main-menu").get_by_role("link", name="Мои задачи").click()
    page.get_by_role("link", name=f"Проверить предложение № {proposal.pk}").click()
    diff = page.get_by_test_id("diff")
    expect(diff.locator("tr[data-column='7'][data-changed]")).to_contain_text(
        "Предоставление отпуска"
    )
    expect(diff.locator("tr[data-column='3'][data-changed]")).to_contain_text(
        "Организация прохождения"
    )
    page.fill("input[name=comment]", "Проверено: сведения полные")
    page.click("button:has-text('Сохранить замечание')")
    page.get_by_test_id("approve-button").click()
    expect(page.get_by_test_id("approve-modal")).to_contain_text(
        f"Предложение № {proposal.pk} будет одобрено: 1 изменение войдет в реестр"
    )
    page.get_by_test_id("approve-confirm").click()
    expect(page.locator(".alert-success")).to_contain_text("изменения внесены в реестр")
    expect(page.get_by_test_id("proposal-state")).to_have_text("внесено в реестр")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.APPLIED
    row = Process.objects.get(function_name__startswith="Организация прохождения")
    assert row.unit == world.unit and row.typical_process.code == "6.4"
    assert row.history.get().history_change_reason == f"Предложение № {proposal.pk}"

    menu(page, "Реестр", "Публикация")
    page.get_by_test_id("publish-button").click()
    page.get_by_test_id("publish-confirm").click()
    expect(page.locator(".alert-success")).to_contain_text("Опубликована версия 1")
    log_out(page)

    page.goto(f"{live_server.url}/public/")
    page.get_by_role("link", name=world.authority.full_name).click()
    rows = page.get_by_test_id("public-rows")
    expect(rows).to_contain_text("Организация прохождения государственной гражданской службы")
    expect(rows.locator("tbody tr")).to_have_count(3)
    # Internal review comments never reach the public page.
    expect(page.locator("body")).not_to_contain_text("Проверено: сведения полные")

"""The API page (/api/v1/docs): Swagger UI, served by the app, reads the app's own OpenAPI description."""

import pytest

pytestmark = pytest.mark.browser


def test_api001_docs_page_lists_every_operation_offline(watched):
    watched.open("/api/v1/docs")
    page = watched.page
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert {"/members", "/events", "/fee-payments", "/members/{slug}", "/imports/{kind}"} <= set(paths)
    assert len(paths) >= 18
    page.locator(".opblock-summary-path", has_text="/events").first.click()  # GET /events opens with its parameters
    page.wait_for_selector(".parameters .parameter__name")
    names = page.locator(".parameters .parameter__name").all_inner_texts()
    assert any(n.startswith("region") for n in names) and any(n.startswith("kind") for n in names)
    watched.shot("api-docs")
    assert watched.errors == [] and watched.outside == []

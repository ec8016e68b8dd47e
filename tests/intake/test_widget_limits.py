"""What a widget submission may not say about itself, and the receipt it gets back."""

from typing import Any

import pytest

from tests.intake.widget_helpers import (
    ticket_count,
    ticket_of,
    widget_headers,
    widget_request,
)
from tests.problems import assert_problem

URL = "/v1/intake/widget"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"emergency": True}, "body.emergency"),
        ({"priority": "critical"}, "body.priority"),
        ({"priority": "high"}, "body.priority"),
        ({"channel": "api"}, "body.channel"),
        ({"created_at": "2020-01-01T00:00:00Z"}, "body.created_at"),
        ({"requester_id": "00000000-0000-0000-0000-000000000001"}, "body.requester_id"),
        ({"context": {"users_affected": 5000}}, "body.context.users_affected"),
    ],
)
async def test_a_widget_submission_cannot_raise_its_own_urgency(
    app, browser, tenant, widget_key, extra: dict[str, Any], field: str
):
    body = widget_request(tenant.contact["email"], **extra)
    response = await browser.post(URL, json=body, headers=widget_headers(widget_key))
    problem = assert_problem(response, 422)
    assert field in {error["field"] for error in problem["errors"]}
    assert await ticket_count(app, tenant.organization["id"]) == 0


async def test_a_widget_ticket_has_the_default_priority_and_no_impact(
    client, browser, tenant, widget_key
):
    body = widget_request(tenant.contact["email"], context={"app_version": "4.2"})
    ticket = await ticket_of(
        client, await browser.post(URL, json=body, headers=widget_headers(widget_key))
    )
    assert ticket["priority"] == "medium"
    assert ticket["emergency"] is False
    assert ticket["channel"] == "widget"
    assert ticket["context"]["users_affected"] is None
    assert ticket["escalation_level"] == 1


async def test_the_answer_is_a_receipt_not_the_ticket(client, browser, tenant, widget_key):
    body = widget_request(tenant.contact["email"])
    response = await browser.post(URL, json=body, headers=widget_headers(widget_key))
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert set(receipt) == {
        "id",
        "number",
        "status",
        "created_at",
        "conversation_token",
        "conversation_expires_at",
    }
    assert receipt["conversation_token"] is None  # a form, not a chat
    assert receipt["number"].startswith("SUP-")
    assert receipt["status"] == "new"
    assert response.headers["Location"] == f"/v1/tickets/{receipt['id']}"
    ticket = await ticket_of(client, response)
    assert (ticket["number"], ticket["created_at"]) == (receipt["number"], receipt["created_at"])


async def test_a_replayed_submission_gets_the_same_receipt(browser, tenant, widget_key):
    headers = widget_headers(widget_key, **{"Idempotency-Key": "receipt-once"})
    body = widget_request(tenant.contact["email"])
    first = await browser.post(URL, json=body, headers=headers)
    again = await browser.post(URL, json=body, headers=headers)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert "requester_id" not in again.json()


def test_the_spec_shows_the_receipt(app):
    operation = app.openapi()["paths"][URL]["post"]
    schema = operation["responses"]["201"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/WidgetReceipt"}
    receipt = app.openapi()["components"]["schemas"]["WidgetReceipt"]
    assert set(receipt["properties"]) == {
        "id",
        "number",
        "status",
        "created_at",
        "conversation_token",
        "conversation_expires_at",
    }

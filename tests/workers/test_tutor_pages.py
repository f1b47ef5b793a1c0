"""The tutor's pages in worker mode: the personal link of a tutor without an
account, the portal of a tutor with one, and the PDF they download, which
wkhtmltopdf makes while calling the server back for its CSS."""

import uuid
from datetime import date, timedelta

import pytest

PLACEMENT = "bde.pfmp.placement"


def assert_pdf(response):
    assert response.headers["Content-Type"].startswith("application/pdf")
    assert response.content.startswith(b"%PDF-"), response.content[:200]


@pytest.fixture(scope="module")
def portal_tutor(admin):
    """The partner of the demo's portal tutor."""
    users = admin.call(
        "res.users",
        "search_read",
        [("login", "=", "tuteur.demo@example.com")],
        ["partner_id"],
    )
    return users[0]["partner_id"][0]


@pytest.fixture(scope="module")
def linked_placement(admin, portal_tutor):
    """A placement whose tutor has no account and whose link is still valid
    (30 days after its end), and the token of the personal link the BDE mails
    its tutor (only the system reads it)."""
    recent = (date.today() - timedelta(days=25)).isoformat()
    placements = admin.call(
        PLACEMENT,
        "search_read",
        [
            ("state", "!=", "cancelled"),
            ("partner_id", "!=", False),
            ("tutor_id", "not in", [False, portal_tutor]),
            ("date_end", ">=", recent),
        ],
        ["student_id"],
        order="date_end",
        limit=1,
    )
    assert placements, f"the demo has a placement with a tutor ending after {recent}"
    placement = placements[0]
    admin.call(PLACEMENT, "action_send_tutor_link", [placement["id"]])
    [token] = admin.call(PLACEMENT, "read", [placement["id"]], ["access_token"])
    return placement, token["access_token"]


def test_personal_link_opens_its_placement_and_its_convention(
    new_client, linked_placement
):
    placement, token = linked_placement
    path = f"/my/pfmp/{placement['id']}"
    visitor = new_client()
    page = visitor.page(f"{path}?access_token={token}")
    assert placement["student_id"][1] in page
    assert_pdf(visitor.get(f"{path}/document/convention?access_token={token}"))
    new_client().get(
        f"{path}?access_token={placement['id']}-{uuid.uuid4()}", status=404
    )
    new_client().get(path, status=404)


def test_portal_tutor_sees_their_placements_only(
    login, admin, portal_tutor, linked_placement
):
    own = admin.call(
        PLACEMENT,
        "search_read",
        [("tutor_id", "=", portal_tutor), ("state", "!=", "cancelled")],
        ["student_id"],
    )
    assert own, "the demo's portal tutor tutors placements"
    tutor = login("tutor")
    page = tutor.page("/my/pfmp")
    for placement in own:
        assert placement["student_id"][1] in page
    assert own[0]["student_id"][1] in tutor.page(f"/my/pfmp/{own[0]['id']}")
    other, _token = linked_placement
    assert other["student_id"][1] not in page
    tutor.get(f"/my/pfmp/{other['id']}", status=404)

"""The public pages in worker mode: the BDE page and its contact form, the
alumni page, the host's census page and the tutor's personal link."""

import uuid

import pytest

LEAD_MODEL = "crm.lead"


@pytest.fixture(scope="module")
def quick_forms(admin):
    """Forms posted at once: the public forms refuse a post made within 5 s
    of the page (a robot's) and more than 10 an hour from one address, which
    reruns on one database would reach. Restored afterwards."""
    params = {
        "bde_lycee.contact_min_seconds": "0",
        "bde_lycee.form_max_per_client_hour": "1000",
    }
    Param = "ir.config_parameter"
    before = {key: admin.call(Param, "get_param", key) for key in params}
    for key, value in params.items():
        admin.call(Param, "set_param", key, value)
    yield
    for key, value in before.items():
        admin.call(Param, "set_param", key, value)


@pytest.fixture(scope="module")
def lycees(admin, ref):
    """The public e-mail address of each lycée's BDE, by key of ``ref``."""
    keys = ("lycee_a", "lycee_b")
    companies = admin.call("res.company", "read", [ref[k] for k in keys], ["bde_email"])
    emails = {company["id"]: company["bde_email"] for company in companies}
    return {key: emails[ref[key]] for key in keys}


def test_bde_page_contact_form_feeds_the_pipeline(
    new_client, login, ref, lycees, quick_forms
):
    visitor = new_client()
    page = visitor.get("/bde").text
    # The website's lycée, not the other one.
    assert lycees["lycee_a"] in page
    assert lycees["lycee_b"] not in page
    company = f"Workers {uuid.uuid4().hex[:12]}"
    answer = visitor.post(
        "/bde/contact",
        {
            **visitor.form_values(page, "csrf_token", "form_token"),
            "company_name": company,
            "contact_name": "Jeanne Martin",
            "email": f"{uuid.uuid4().hex[:12]}@example.com",
            "message": "Nous accueillons des stagiaires en logistique.",
        },
    )
    assert answer.url.endswith("/bde/thank-you"), answer.url
    leads = login("officer_a").call(
        LEAD_MODEL, "search_read", [("partner_name", "=", company)], ["company_id"]
    )
    assert [lead["company_id"][0] for lead in leads] == [ref["lycee_a"]]


def test_alumni_page_records_a_request_to_confirm(new_client, login, quick_forms):
    visitor = new_client()
    page = visitor.get("/bde/alumni").text
    email = f"alumni.{uuid.uuid4().hex[:12]}@example.com"
    answer = visitor.post(
        "/bde/alumni/submit",
        {
            **visitor.form_values(page, "csrf_token", "form_token"),
            "name": "Lina Haddad",
            "email": email,
            "exit_year": "2025",
            "status": "employed",
            "network_consent": "on",
        },
    )
    assert answer.url.endswith("/bde/alumni/thank-you"), answer.url
    requests = login("officer_a").call(
        "bde.alumni.request", "search_read", [("email", "=", email)], ["state"]
    )
    assert [request["state"] for request in requests] == ["pending"]


def test_census_page_opens_with_its_token_only(new_client, login):
    census = login("officer_a").call(
        "bde.pfmp.census.request",
        "search_read",
        [("state", "=", "sent")],
        ["partner_id", "access_token"],
        limit=1,
    )
    assert census, "the demo has a census request waiting for its answer"
    census = census[0]
    visitor = new_client()
    page = visitor.get(f"/bde/census/{census['id']}/{census['access_token']}").text
    assert census["partner_id"][1].split(",")[0] in page
    visitor.get(f"/bde/census/{census['id']}/{uuid.uuid4()}", status=404)

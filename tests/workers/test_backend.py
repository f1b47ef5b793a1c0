"""The back office in worker mode: the web client, and the calls it makes as
each role through JSON-RPC: host directory, the lycées' figures, the allowance export
(XLSX) and a PDF report (wkhtmltopdf calls the server back for its CSS)."""

import ast
import io
import re
import zipfile

import pytest
from odoo_client import RpcError

PLACEMENT = "bde.pfmp.placement"
CONVENTION_REPORT = "/report/pdf/bde_pfmp.report_bde_pfmp_convention"
HOST_CARD = {
    field: {}
    for field in (
        "name",
        "city",
        "bde_distance_km",
        "bde_places_left",
        "bde_past_placement_count",
        "bde_host_rating_avg",
        "bde_accepts_minors",
    )
}


@pytest.fixture(scope="module")
def placement_a(login):
    """A placement of lycée A in progress (its host and tutor named)."""
    return login("officer_a").call(
        PLACEMENT,
        "search_read",
        [("state", "=", "in_progress")],
        ["student_id", "class_id", "company_id"],
        limit=1,
    )[0]


def test_web_client_and_its_assets_load(login):
    teacher = login("teacher_a")
    page = teacher.page("/web")
    assert f'"uid": {teacher.uid}' in page
    # What the browser loads next; the first request builds the bundle.
    bundles = re.findall(
        r'"(/web/assets/[^"]+/web\.assets_web\.min\.(?:js|css))"', page
    )
    assert len(bundles) == 2, bundles
    for bundle in bundles:
        assert len(teacher.get(bundle).content) > 100_000


def test_host_directory_as_a_teacher_opens_it(login):
    teacher = login("teacher_a")
    action = teacher.jsonrpc(
        "/web/action/load", action_id="bde_pfmp.res_partner_action_host_directory"
    )
    domain = ast.literal_eval(action["domain"])
    for search in ([], [("bde_places_left", ">", 0)], [("bde_distance_km", "<=", 10)]):
        page = teacher.call(
            "res.partner",
            "web_search_read",
            domain=domain + search,
            specification=HOST_CARD,
            limit=40,
        )
        assert page["records"], f"no host in the directory for {search}"
        assert len(page["records"]) <= 40
        assert page["length"] >= len(page["records"])


def lycee_figures(client, fields):
    """The lycées' figures of the current school year, as the action opens
    them (its default filter)."""
    return client.call(
        "bde.lycee.report",
        "search_read",
        [("is_current_school_year", "=", True)],
        ["company_id", *fields],
    )


def test_lycee_figures_of_each_role(login, ref):
    teacher = lycee_figures(login("teacher_a"), ["pfmp_placement_count"])
    assert [row["company_id"][0] for row in teacher] == [ref["lycee_a"]]
    assert teacher[0]["pfmp_placement_count"] > 0
    # The academic correspondent: a row per lycée without ticking them, their
    # total the sum of the rows, and no placement.
    reader = login("reader")
    rows = lycee_figures(reader, ["pfmp_placement_count"])
    assert {row["company_id"][0] for row in rows} == {ref["lycee_a"], ref["lycee_b"]}
    [total] = reader.call(
        "bde.lycee.report",
        "read_group",
        [("is_current_school_year", "=", True)],
        ["pfmp_placement_count:sum"],
        [],
    )
    assert total["pfmp_placement_count"] == sum(
        row["pfmp_placement_count"] for row in rows
    )
    assert total["pfmp_placement_count"] > teacher[0]["pfmp_placement_count"]
    with pytest.raises(RpcError, match="AccessError"):
        reader.call(PLACEMENT, "search_read", [], ["student_id"], limit=1)
    [head] = lycee_figures(login("head_a"), ["lead_count"])
    assert head["lead_count"] > 0


def test_allowance_export_downloads_the_xlsx(login, placement_a):
    officer = login("officer_a")
    export_id = officer.call(
        "bde.allowance.export",
        "create",
        {"class_ids": [(6, 0, [placement_a["class_id"][0]])]},
    )
    action = officer.call("bde.allowance.export", "action_export", [export_id])
    download = officer.get(action["url"])
    # Odoo guesses the type of a binary field from its first KiB: a zip.
    assert ".xlsx" in download.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(download.content)) as workbook:
        assert "xl/workbook.xml" in workbook.namelist()
        text = "".join(
            workbook.read(name).decode()
            for name in workbook.namelist()
            if name.endswith(".xml")
        )
    last_name = max(placement_a["student_id"][1].split(), key=len)
    assert last_name in text


def test_convention_pdf_for_its_lycee_only(admin, login, placement_a):
    # wkhtmltopdf fetches the report's CSS from web.base.url: this server.
    base_url = admin.call("ir.config_parameter", "get_param", "web.base.url")
    assert base_url == admin.base_url
    path = f"{CONVENTION_REPORT}/{placement_a['id']}"
    pdf = login("officer_a").get(path)
    assert pdf.headers["Content-Type"].startswith("application/pdf")
    assert pdf.content.startswith(b"%PDF-")
    login("teacher_b").get(path, status=403)


def test_teacher_reads_nothing_of_the_other_lycee(login, ref):
    classes = {
        role: login(role).call("bde.class", "search_read", [], ["company_id"])
        for role in ("teacher_a", "teacher_b")
    }
    assert classes["teacher_a"] and classes["teacher_b"]
    assert {c["company_id"][0] for c in classes["teacher_a"]} == {ref["lycee_a"]}
    assert {c["company_id"][0] for c in classes["teacher_b"]} == {ref["lycee_b"]}
    with pytest.raises(RpcError, match="AccessError"):
        login("teacher_a").call(
            "bde.class", "read", [classes["teacher_b"][0]["id"]], ["name"]
        )


def test_yearly_report_pdf_and_xlsx_for_its_lycee_only(login, ref):
    officer = login("officer_a")
    wizard = "bde.yearly.report.wizard"
    wizard_id = officer.call(wizard, "create", {"company_id": ref["lycee_a"]})
    path = f"/report/pdf/bde_lycee.report_bde_yearly/{wizard_id}"
    pdf = officer.get(path)
    assert pdf.headers["Content-Type"].startswith("application/pdf")
    assert pdf.content.startswith(b"%PDF-")
    action = officer.call(wizard, "action_download_xlsx", [wizard_id])
    download = officer.get(action["url"])
    assert ".xlsx" in download.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(download.content)) as workbook:
        strings = workbook.read("xl/sharedStrings.xml").decode()
    [lycee] = officer.call("res.company", "read", [ref["lycee_a"]], ["bde_uai"])
    assert lycee["bde_uai"] in strings
    # The other lycée's teacher, and even the lycée's head of school, whose
    # wizard it is not, get neither.
    for role in ("teacher_b", "head_a"):
        login(role).get(path, status=403)

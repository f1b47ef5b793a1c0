"""A SIECLE file of 20,000 students imported through JSON-RPC by a BDE
manager in worker mode: the Import request checks the whole file and queues
a job, whose batches the scheduled action runs one per call. This stage runs
no cron worker, so the administrator runs the scheduled action ("Run
manually"), one request per batch, until the job is done: a request that a
worker's limit kills (the check of the whole file, or a batch) fails here."""

import base64
import csv
import io
import time
import uuid

from odoo_client import RpcError

ROWS = 20_000
JOB = "bde.student.import.job"
SCHOOL_YEAR = "2026-2027"


def siecle_file(prefix, class_name):
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(["INE", "NOM", "PRENOM", "DATE NAISS", "DIVISION", "EMAIL"])
    writer.writerows(
        [
            f"{prefix}{index:06d}",
            f"NOM{index}",
            f"Prénom{index}",
            f"{1 + index % 28:02d}/{1 + index % 12:02d}/{2009 + index % 3}",
            class_name,
            f"eleve{index}.{prefix.lower()}@example.com",
        ]
        for index in range(ROWS)
    )
    return output.getvalue().encode()


def test_big_siecle_file_imports_in_batches(login, admin, ref):
    officer = login("officer_a")
    # INEs and class of this run only: the server keeps what earlier runs made.
    prefix = uuid.uuid4().hex[:5].upper()
    formation = officer.call("bde.formation", "search", [], limit=1)[0]
    officer.call(
        "bde.class",
        "create",
        {
            "name": f"W {prefix}",
            "formation_id": formation,
            "school_year": SCHOOL_YEAR,
            "company_id": ref["lycee_a"],
        },
    )
    data = siecle_file(prefix, f"W {prefix}")
    wizard = officer.call(
        "bde.student.import",
        "create",
        {
            "file": base64.b64encode(data).decode(),
            "file_name": f"siecle-{prefix}.csv",
            "school_year": SCHOOL_YEAR,
        },
    )
    action = officer.call("bde.student.import", "action_import", [wizard])
    assert action["res_model"] == JOB, action
    job_id = action["res_id"]
    [cron] = admin.call(
        "ir.model.data",
        "search_read",
        [("module", "=", "bde_lycee"), ("name", "=", "ir_cron_bde_student_import_job")],
        ["res_id"],
    )
    for _batch in range(ROWS // 1000 + 5):
        [job] = officer.call(JOB, "read", [job_id], ["state", "rows_done", "error"])
        if job["state"] not in ("queued", "running"):
            break
        try:
            admin.call("ir.cron", "method_direct_trigger", [cron["res_id"]])
        except RpcError as error:
            # a cron worker of another set-up holds the scheduled action
            assert "cannot be modified right now" in error.message, error
            time.sleep(1)
    assert (job["state"], job["rows_done"], job["error"]) == ("done", ROWS, False)
    students = officer.call(
        "res.partner", "search_count", [("bde_ine", "=like", f"{prefix}%")]
    )
    assert students == ROWS

"""Benchmark of the signing core (not a test: it prints figures and asserts
nothing about time).

- Sending N partnership conventions for signature as the BDE manager does
  (the list's action: checks, each PDF rendered by wkhtmltopdf, anchors
  read, the request with its signers and fields, the e-mails, the head's
  activities) beside its lower bound, the N PDFs rendered alone;
- the head of school signing the N conventions in one action (the wizard:
  each signature stamped on its PDF, the hooks, the signed PDF and the
  certificate attached after the last signature) beside stamping the N PDFs
  with PyPDF2 and reportlab alone.

N is 2 by default (each rendering takes about a second: CI runs this);
``BDE_BENCH_SIGN_DOCS=20`` for the issue's twenty. Median of 3 runs.
"""

import os
import statistics
import time
from base64 import b64decode
from io import BytesIO

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from odoo.tools.pdf import PdfFileReader, PdfFileWriter

from .sign_common import SignCase, signature_png

DOCS = int(os.environ.get("BDE_BENCH_SIGN_DOCS", "2"))
RUNS = 3


def _stamp(pdf, image, box):
    """The signature ``image`` on ``pdf`` at ``box``, with the libraries
    alone: what sign_oca does for one field."""
    reader = PdfFileReader(BytesIO(pdf))
    page = reader.pages[box["page"] - 1]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    packet = BytesIO()
    can = canvas.Canvas(packet, pagesize=(width, height))
    can.drawImage(
        ImageReader(BytesIO(image)),
        box["position_x"] / 100 * width,
        (100 - box["position_y"] - box["height"]) / 100 * height,
        box["width"] / 100 * width,
        box["height"] / 100 * height,
    )
    can.save()
    packet.seek(0)
    page.merge_page(PdfFileReader(packet).pages[0])
    writer = PdfFileWriter()
    for each in reader.pages:
        writer.add_page(each)
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


class BenchSign(SignCase):
    def _timed(self, prepare, operation):
        """Median seconds and queries of ``operation(prepare())``."""
        times, queries = [], []
        for _run in range(RUNS):
            arg = prepare()
            self.env.flush_all()
            start_queries = self.env.cr.sql_log_count
            start = time.perf_counter()
            operation(arg)
            self.env.flush_all()
            times.append(time.perf_counter() - start)
            queries.append(self.env.cr.sql_log_count - start_queries)
        return statistics.median(times), statistics.median(queries)

    def _conventions(self):
        return self.Convention.browse([self._convention().id for _i in range(DOCS)])

    def test_bench_send_and_sign(self):
        report = self.env.ref("bde_lycee.action_report_bde_partnership_convention")
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)

        send = self._timed(self._conventions, self._send)
        render = self._timed(
            self._conventions,
            lambda conventions: [
                Report._render_qweb_pdf(report, c.ids) for c in conventions
            ],
        )

        pdf = self._convention()._bde_sign_render_pdf()
        image = b64decode(signature_png())

        def sent_and_signed_by_partner():
            conventions = self._conventions()
            with self._rendered_once(pdf):
                self._send(conventions)
            for convention in conventions:
                self._sign_as_partner(convention)
            return conventions

        def head_signs(conventions):
            action = conventions.with_user(self.user_manager).action_bde_sign()
            self.env["bde.sign.wizard"].with_user(self.user_manager).with_context(
                action["context"]
            ).create({"signature": signature_png()}).action_sign()

        sign = self._timed(sent_and_signed_by_partner, head_signs)
        head_box = next(
            item
            for item in sent_and_signed_by_partner()
            .sign_request_id[:1]
            .signatory_data.values()
            if item["role_id"] == self.role_head.id
        )
        stamp = self._timed(
            lambda: [pdf] * DOCS,
            lambda pdfs: [_stamp(each, image, head_box) for each in pdfs],
        )

        print(f"\nSigning core, {DOCS} partnership conventions (median of {RUNS})")
        print(f"{'operation':<58}{'suite':>9}{'bound':>9}{'ratio':>7}{'queries':>9}")
        for label, suite, bound, what in (
            (
                "send for signature (render, anchors, request, mails)",
                send,
                render,
                "PDFs rendered alone",
            ),
            (
                "head signs all in one action (stamp, hooks, attach)",
                sign,
                stamp,
                "PyPDF2 stamping alone",
            ),
        ):
            print(
                f"{label:<58}{suite[0]:>8.2f}s{bound[0]:>8.3f}s"
                f"{suite[0] / bound[0]:>6.1f}x{suite[1]:>9.0f}   bound: {what}"
            )

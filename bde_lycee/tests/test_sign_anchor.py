"""Signature anchors read back from PDFs rendered by wkhtmltopdf, and the
page "Signatures" for the roles a layout lost."""

from odoo.tests import TransactionCase
from odoo.tools.pdf import PdfFileReader

from odoo.addons.bde_lycee.sign_anchor import (
    FIELD_HEIGHT,
    FIELD_WIDTH,
    add_signature_page,
    field_at,
    find_anchors,
)


def _page_count(pdf):
    from io import BytesIO

    return len(PdfFileReader(BytesIO(pdf)).pages)


class TestSignAnchor(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        qweb = cls.env["ir.qweb"]

        def anchor(role):
            return str(qweb._render("bde_lycee.bde_sign_anchor", {"sign_role": role}))

        # Two signature cells: the head's on the left, a third of the way
        # down; the partner's on the right, further down.
        cell = '<div style="position: absolute; top: {}px; left: {}px;">{} {}</div>'
        html = f"""<html><head><meta charset="utf-8"/></head>
            <body style="margin: 0; padding: 0;">
              <p style="font-size: 20px;">Convention de partenariat</p>
              {cell.format(300, 40, anchor("head"), "Le proviseur")}
              {cell.format(600, 500, anchor("partner"), "Le partenaire")}
            </body></html>"""
        cls.pdf = cls.env["ir.actions.report"]._run_wkhtmltopdf([html])

    def test_anchor_is_invisible_text(self):
        html = str(
            self.env["ir.qweb"]._render(
                "bde_lycee.bde_sign_anchor", {"sign_role": "head"}
            )
        )
        self.assertIn("[[sign:head]]", html)
        self.assertIn("color: #ffffff", html)

    def test_markers_found_where_the_cells_are(self):
        anchors = find_anchors(self.pdf)
        self.assertEqual(set(anchors), {"head", "partner"})
        head_page, head_x, head_y = anchors["head"]
        partner_page, partner_x, partner_y = anchors["partner"]
        self.assertEqual((head_page, partner_page), (1, 1))
        # The head's cell is on the left, above the partner's on the right.
        self.assertLess(head_x, 20)
        self.assertGreater(partner_x, 40)
        self.assertLess(head_y, partner_y)
        self.assertTrue(0 < head_y < 100 and 0 < partner_y < 100)

    def test_field_below_right_of_marker_and_on_the_page(self):
        box = field_at((2, 90.0, 98.0))
        self.assertEqual(box["page"], 2)
        self.assertEqual(box["position_x"], 100 - FIELD_WIDTH)
        self.assertEqual(box["position_y"], 100 - FIELD_HEIGHT)
        box = field_at((1, 12.5, 40.0))
        self.assertEqual((box["position_x"], box["position_y"]), (12.5, 40.0))

    def test_fallback_page_for_roles_without_marker(self):
        pages = _page_count(self.pdf)
        pdf, boxes = add_signature_page(self.pdf, "Signatures", ["Tuteur", "Élève"])
        self.assertEqual(_page_count(pdf), pages + 1)
        self.assertEqual([box["page"] for box in boxes], [pages + 1] * 2)
        self.assertLess(boxes[0]["position_y"], boxes[1]["position_y"])
        # The markers of the document stay where they were.
        self.assertEqual(find_anchors(pdf), find_anchors(self.pdf))

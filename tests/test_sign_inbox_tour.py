"""The head of school's inbox in a real Chromium: the demo's PFMP conventions
waiting for her signature, two of them signed in one action with a drawn
signature (bde_pfmp/static/tests/tours/bde_sign_inbox_tour.js), then the
database read back: her signatures, dates and activities, the convention
whose last signature was hers signed and its PDF attached, and the other
lycée's convention untouched."""

from odoo.tests import HttpCase, tagged

PLACEMENT = "bde.pfmp.placement"


@tagged("post_install", "-at_install", "bde_tour")
class TestSignInboxTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.head = cls.env.ref("bde_lycee.user_bde_head_demo")
        ref = cls.env.ref
        # 1 MCV A of the Lycée Jean Jaurès: tutor and student signed Lou's;
        # every party but the head signed Océane's; the tutor alone Anaïs's.
        cls.lou = ref("bde_pfmp.bde_pfmp_placement_1mcva_02_demo")
        cls.oceane = ref("bde_pfmp.bde_pfmp_placement_1mcva_03_demo")
        cls.anais = ref("bde_pfmp.bde_pfmp_placement_1mcva_04_demo")
        # The Lycée Louis Lumière's convention, waiting for its own head.
        cls.lumiere = ref("bde_pfmp.bde_pfmp_placement_lumiere_06_demo")
        cls.sign_activity = ref("bde_lycee.mail_activity_type_bde_sign")

    def _head_signer(self, placement):
        return placement.sign_signer_ids.filtered(
            lambda signer: signer.role_id.bde_code == "head"
        )

    def _head_activities(self, placements):
        """The head's open activities "Sign" on ``placements``."""
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", PLACEMENT),
                ("res_id", "in", placements.ids),
                ("activity_type_id", "=", self.sign_activity.id),
                ("user_id", "=", self.head.id),
            ]
        )

    def _pdf_attachments(self, placement):
        return self.env["ir.attachment"].search(
            [
                ("res_model", "=", PLACEMENT),
                ("res_id", "=", placement.id),
                ("mimetype", "=", "application/pdf"),
            ]
        )

    def test_head_signs_two_conventions_from_her_inbox(self):
        mine = self.lou | self.oceane | self.anais
        waiting = (
            self.env[PLACEMENT]
            .with_user(self.head)
            .search([("bde_to_sign_by_me", "=", True)])
        )
        self.assertEqual(waiting, mine)
        self.assertEqual(
            sorted(self._head_activities(mine).mapped("res_id")),
            sorted(mine.ids),
            "each convention waiting for the head is an activity of hers",
        )
        lumiere_head = self._head_signer(self.lumiere)
        self.assertTrue(lumiere_head and not lumiere_head.signed_on)
        self.assertNotEqual(lumiere_head.partner_id, self.head.partner_id)
        lumiere_before = self.lumiere.sign_signer_ids.read(["signed_on"])
        lumiere_pdf = self.lumiere.sign_request_id.data
        pdfs_before = self._pdf_attachments(self.oceane)

        self.start_tour(
            "/odoo/bde-pfmp-placements", "bde_sign_inbox_tour", login="helene.rousseau"
        )
        self.env.invalidate_all()

        for placement in self.lou | self.oceane:
            signer = self._head_signer(placement)
            self.assertTrue(signer.signed_on, placement.student_id.name)
            self.assertEqual(signer.partner_id, self.head.partner_id)
            self.assertEqual(placement.date_signed_school, signer._bde_signed_day())
        self.assertFalse(self._head_activities(self.lou | self.oceane))
        # Lou's convention still waits for the host, the teacher, the guardian.
        self.assertEqual(self.lou.sign_request_state, "0_sent")
        self.assertEqual(self.lou.state, "to_sign")
        self.assertFalse(self.lou.date_signed_host)
        # Océane's was waiting for the head alone: signed, its PDF attached.
        self.assertEqual(self.oceane.sign_request_state, "2_signed")
        self.assertEqual(self.oceane.state, "signed")
        self.assertEqual(self.oceane.signature_state, "signed")
        self.assertGreater(
            len(self._pdf_attachments(self.oceane) - pdfs_before),
            0,
            "the signed convention is attached to the placement",
        )
        # Anaïs's was not selected: it still waits for her.
        self.assertFalse(self._head_signer(self.anais).signed_on)
        self.assertEqual(len(self._head_activities(self.anais)), 1)
        # The other lycée's convention is untouched.
        self.assertEqual(
            self.lumiere.sign_signer_ids.read(["signed_on"]), lumiere_before
        )
        self.assertEqual(self.lumiere.sign_request_id.data, lumiere_pdf)
        self.assertFalse(self.lumiere.date_signed_school)

"""PFMP conventions signed online (sign_oca), through HTTP as each party:
the tutor, the host's representative, the student and the legal guardian of
a minor by their links; the referent teacher and the head of school in the
backend, several conventions at once for the head. Two lycées. The PDFs are
real (wkhtmltopdf): few of them."""

import base64
from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.bde_lycee.tests.sign_common import sign_by_link, signature_png

from ..models.bde_pfmp_placement_signature import ROLE_DATE_FIELDS, SIGNATURE_FIELDS
from .common import BdePfmpCase

SIGN_ACTIVITY = "bde_lycee.mail_activity_type_bde_sign"


class PlacementSignCase(BdePfmpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lycee.bde_head_of_school_user_id = cls.user_manager
        cls.user_other_manager = new_test_user(
            cls.env,
            login="bde_other_manager",
            groups="base.group_user,bde_lycee.group_bde_manager",
            company_id=cls.other_lycee.id,
            company_ids=[cls.other_lycee.id],
        )
        cls.other_lycee.bde_head_of_school_user_id = cls.user_other_manager
        cls.guardian = cls.env["res.partner"].create(
            {"name": "Claire Martin", "email": "claire.martin@parents.test"}
        )
        cls.student.write(
            {
                "email": "lea.martin@eleve.test",
                "bde_legal_guardian_id": cls.guardian.id,
            }
        )
        cls.student_adult.email = "hugo.bernard@eleve.test"
        cls.tutor.email = "paul.tuteur@boulangerie.test"
        cls.host_manager = cls.env["res.partner"].create(
            {
                "name": "Marie Gérante",
                "function": "Gérante",
                "email": "marie.gerante@boulangerie.test",
                "parent_id": cls.company_partner.id,
            }
        )

    @classmethod
    def _ready(cls, student=None, **vals):
        """A convention to sign whose pedagogical annex is validated."""
        placement = cls._make_placement(
            student,
            state="to_sign",
            host_signatory_id=cls.host_manager.id,
            activities_planned="<p>Mise en rayon, accueil des clients</p>",
            skills_planned="<p>C1.1 Accueillir le client</p>",
            **vals,
        )
        placement.with_user(cls.user_teacher).action_bde_validate_pedagogy()
        return placement

    @classmethod
    def _adult(cls, name, ine):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "email": f"{ine}@eleve.test",
                "bde_is_student": True,
                "bde_ine": ine,
                "bde_birthdate": "2006-06-06",
                "bde_class_id": cls.school_class.id,
                "company_id": cls.lycee.id,
            }
        )


@tagged("post_install", "-at_install", "bde_pfmp")
class TestSendForSignatureRefused(PlacementSignCase):
    """What the convention misses is named before any PDF is rendered."""

    def _send(self, placement, user=None):
        return placement.with_user(
            user or self.user_officer
        ).action_bde_send_for_signature()

    def test_host_signatory_defaults_to_the_tutor(self):
        placement = self._make_placement()
        self.assertEqual(placement.host_signatory_id, self.tutor)
        placement.host_signatory_id = self.host_manager
        placement.tutor_id = self.env["res.partner"].create(
            {"name": "Anne Seconde", "parent_id": self.company_partner.id}
        )
        self.assertEqual(placement.host_signatory_id, self.host_manager)

    def test_refusals(self):
        placement = self._ready()
        with self.assertRaises(AccessError):
            self._send(placement, self.user_teacher)
        cases = [
            ({"regulated_work": True}, "derogation"),
            (
                {
                    "tutor_id": self.env["res.partner"]
                    .create(
                        {"name": "Jean Sansmail", "parent_id": self.company_partner.id}
                    )
                    .id
                },
                "Jean Sansmail",
            ),
        ]
        for vals, message in cases:
            with self.subTest(message=message):
                placement.write(vals)
                if placement.pedagogy_state != "validated":
                    placement.with_user(
                        self.user_teacher
                    ).action_bde_validate_pedagogy()
                with self.assertRaisesRegex(UserError, message):
                    self._send(placement)
                placement.write({"regulated_work": False, "tutor_id": self.tutor.id})
        placement.with_user(self.user_teacher).action_bde_validate_pedagogy()
        self.student.bde_legal_guardian_id = False
        with self.assertRaisesRegex(UserError, "legal guardian"):
            self._send(placement)
        self.assertFalse(placement.sign_request_id)

    def test_pedagogy_first_and_to_sign_only(self):
        placement = self._make_placement(state="to_sign")
        with self.assertRaisesRegex(UserError, "not validated"):
            self._send(placement)
        host_found = self._ready(self.student_adult)
        host_found.sudo()._write_trusted({"state": "host_found"})
        with self.assertRaisesRegex(UserError, "not possible now"):
            self._send(host_found)


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPlacementSignCircuit(PlacementSignCase, HttpCase):
    def _signer(self, placement, code):
        return placement.sign_request_id.signer_ids.filtered(
            lambda signer: signer.role_id.bde_code == code
        )

    def _sign_in_backend(self, user, placements):
        """The list's "Sign" action, the signature drawn once."""
        action = (
            self.env.ref("bde_pfmp.bde_pfmp_placement_action_bde_sign")
            .with_user(user)
            .with_context(active_model=placements._name, active_ids=placements.ids)
            .run()
        )
        wizard = (
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
            .create({"signature": signature_png()})
        )
        wizard.action_sign()

    def _activities(self, placement, user):
        activity_type = self.env.ref(SIGN_ACTIVITY)
        return placement.activity_ids.filtered(
            lambda activity: (
                activity.activity_type_id == activity_type and activity.user_id == user
            )
        )

    def test_minor_signed_by_every_party(self):
        placement = self._ready()
        as_officer = placement.with_user(self.user_officer)
        # A date typed before the request no longer counts once it is out.
        as_officer.date_signed_host = date(2025, 10, 20)
        as_officer.action_bde_send_for_signature()
        request = placement.sign_request_id
        self.assertEqual(request.state, "0_sent")
        self.assertEqual(
            [
                (signer.role_id.bde_code, signer.partner_id)
                for signer in request.signer_ids.sorted("id")
            ],
            [
                ("head", self.user_manager.partner_id),
                ("host", self.host_manager),
                ("tutor", self.tutor),
                ("teacher", self.user_teacher.partner_id),
                ("student", self.student),
                ("guardian", self.guardian),
            ],
        )
        self.assertFalse(placement.date_signed_host)
        self.assertEqual(placement.signature_progress, 0)
        self.assertTrue(self._activities(placement, self.user_manager))
        self.assertTrue(self._activities(placement, self.user_teacher))

        # Out for signature: neither typed signatures nor another text.
        for vals in (
            {"date_signed_tutor": "2025-10-21"},
            {"signed_on_paper": True},
            {"date_end": "2025-11-21"},
            {"activities_planned": "<p>Autre chose</p>"},
            {"host_signatory_id": self.tutor.id},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(UserError, "out for signature"),
            ):
                as_officer.write(vals)
        with self.assertRaises(UserError):
            as_officer.action_sign()

        # The parties outside the lycée, by their links.
        for code in ("tutor", "host", "student", "guardian"):
            signer = self._signer(placement, code)
            sign_by_link(self, signer)
            self.assertTrue(signer.signed_on)
            self.assertEqual(
                placement[ROLE_DATE_FIELDS[code]], signer._bde_signed_day()
            )
        self.assertEqual(placement.state, "to_sign")
        self.assertAlmostEqual(placement.signature_progress, 100 * 4 / 6)

        # The head of the other lycée has nothing to sign here.
        with self.assertRaises(UserError):
            self._sign_in_backend(self.user_other_manager, placement)
        # The referent teacher, then the head of school, in the backend.
        self._sign_in_backend(self.user_teacher, placement)
        self.assertFalse(self._activities(placement, self.user_teacher))
        self.assertEqual(placement.state, "to_sign")
        self._sign_in_backend(self.user_manager, placement)
        self.assertFalse(self._activities(placement, self.user_manager))

        self.assertEqual(request.state, "2_signed")
        self.assertEqual(placement.state, "signed")
        self.assertTrue(all(placement[name] for name in SIGNATURE_FIELDS))
        self.assertEqual(placement.signature_progress, 100)
        signed = self.env["ir.attachment"].search(
            [
                ("res_model", "=", placement._name),
                ("res_id", "=", placement.id),
                ("mimetype", "=", "application/pdf"),
            ]
        )
        self.assertEqual(len(signed), 2)
        self.assertTrue(all(pdf.raw.startswith(b"%PDF") for pdf in signed))
        self.assertIn(
            "signed online by every party",
            " ".join(placement.message_ids.mapped("body")),
        )
        # Signed: its signatures no longer change.
        with self.assertRaises(UserError):
            as_officer.write({"date_signed_tutor": "2025-10-21"})

    def test_head_signs_three_conventions_at_once(self):
        placements = self._ready(self.student_adult)
        for name, ine in (
            ("Nina Petit", "1234567892C"),
            ("Omar Diallo", "1234567893D"),
        ):
            placements |= self._ready(self._adult(name, ine))
        placements.with_user(self.user_officer).action_bde_send_for_signature()
        requests = placements.sign_request_id
        self.assertEqual(len(requests), 3)
        # Adults: no legal guardian signs.
        self.assertEqual(
            set(requests.signer_ids.role_id.mapped("bde_code")),
            {"head", "host", "tutor", "teacher", "student"},
        )
        Placement = self.env["bde.pfmp.placement"]
        to_sign = [("bde_to_sign_by_me", "=", True)]
        self.assertEqual(
            Placement.with_user(self.user_manager).search(to_sign), placements
        )
        self.assertFalse(Placement.with_user(self.user_other_manager).search(to_sign))

        self._sign_in_backend(self.user_manager, placements)
        for placement in placements:
            head = self._signer(placement, "head")
            self.assertTrue(head.signed_on)
            self.assertEqual(placement.date_signed_school, head._bde_signed_day())
            self.assertEqual(placement.state, "to_sign")
            self.assertFalse(self._activities(placement, self.user_manager))
        self.assertFalse(Placement.with_user(self.user_manager).search(to_sign))
        self.assertEqual(set(requests.mapped("state")), {"0_sent"})

        # One party signs on paper, the others keep signing online.
        last = placements[2]
        student = self._signer(last, "student")
        self.env["bde.sign.paper.wizard"].with_user(self.user_officer).create(
            {
                "signer_id": student.id,
                "date_signed": date(2025, 10, 22),
                "scan": base64.b64encode(b"%PDF-1.4 scan"),
                "scan_filename": "signature-eleve.pdf",
            }
        ).action_confirm()
        self.assertEqual(last.date_signed_student, date(2025, 10, 22))
        self.assertEqual(last.state, "to_sign")

        # A request cancelled: its signatures are void, a new one goes out.
        first = placements[0]
        first.with_user(self.user_officer).action_bde_cancel_signature()
        self.assertEqual(requests[0].state, "3_cancel")
        self.assertFalse(first.date_signed_school)
        first.with_user(self.user_officer).action_bde_send_for_signature()
        self.assertNotEqual(first.sign_request_id, requests[0])
        self.assertEqual(first.sign_request_id.state, "0_sent")

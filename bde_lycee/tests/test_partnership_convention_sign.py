"""Partnership conventions signed online (sign_oca): the head of school in
the backend, the partner's representative and the académie through their
links; no convention signed or put in force without its signatories and
formations; a won lead's convention; the printed convention a head signs.
Two lycées."""

import base64
import re
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from ..sign_anchor import find_anchors
from .common import BdeLyceeCase
from .sign_common import sign_by_link, signature_png
from .test_partnership_convention import CLAUSES

DAY = date(2025, 9, 1)
BOARD = "Délibération n° 2025-14 du 12 juin 2025"


class ConventionSignCase(BdeLyceeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_manager.partner_id.email = "proviseur@lp-jaures.test"
        cls.lycee.write(
            {
                "bde_head_of_school_user_id": cls.user_manager.id,
                "bde_board_deliberation": BOARD,
                "city": "Lyon",
            }
        )
        cls.user_other_manager = new_test_user(
            cls.env,
            login="bde_other_manager",
            groups="base.group_user,bde_lycee.group_bde_manager",
            company_id=cls.other_lycee.id,
            company_ids=[cls.other_lycee.id],
        )
        cls.other_lycee.bde_head_of_school_user_id = cls.user_other_manager
        cls.academy = cls.env["res.partner"].create(
            {"name": "DAFPIC de Lyon", "email": "dafpic@ac-lyon.test"}
        )
        cls.template = cls.env["bde.partnership.convention.template"].create(
            {"name": "Modèle de test", "kind": "company", **CLAUSES}
        )
        cls.template_visa = cls.template.copy(
            {
                "name": "Modèle académique",
                "academy_visa_required": True,
                "academy_visa_partner_id": cls.academy.id,
            }
        )
        cls.signatory = cls.env["res.partner"].create(
            {
                "name": "Paul Fournier",
                "function": "Gérant",
                "email": "paul.fournier@boulangerie.test",
                "parent_id": cls.company_partner.id,
            }
        )
        cls.Convention = cls.env["bde.partnership.convention"]

    @classmethod
    def _convention(cls, lycee=None, **vals):
        convention = cls.Convention.create(
            {
                "partner_id": cls.company_partner.id,
                "partner_contact_id": cls.signatory.id,
                "company_id": (lycee or cls.lycee).id,
                "template_id": cls.template.id,
                "formation_ids": [cls.formation.id],
                "date_start": DAY,
                "date_end": date(2028, 8, 31),
                **vals,
            }
        )
        convention.action_to_negotiation()
        return convention


@tagged("post_install", "-at_install", "bde_lycee")
class TestConventionInForceRules(ConventionSignCase):
    MISSING = {
        "signatory_lycee_id": "the lycée's signatory (head of school)",
        "partner_contact_id": "the partner's signatory",
        "formation_ids": "at least one formation",
    }

    def test_head_of_school_signs_by_default(self):
        self.assertEqual(self._convention().signatory_lycee_id, self.user_manager)
        other = self._convention(self.other_lycee)
        self.assertEqual(other.signatory_lycee_id, self.user_other_manager)

    def _without(self, fname):
        empty = [Command.clear()] if fname == "formation_ids" else False
        return self._convention(**{fname: empty})

    def test_no_signature_without_its_parties(self):
        for fname, label in self.MISSING.items():
            convention = self._without(fname)
            self.assertEqual(convention._get_missing_parties(), [label])
            as_head = convention.with_user(self.user_manager)
            as_head.write({"date_signed_lycee": DAY, "date_signed_partner": DAY})
            with (
                self.subTest(fname=fname, path="dates"),
                self.assertRaisesRegex(ValidationError, re.escape(label)),
            ):
                as_head.action_sign()
            as_head.write(
                {
                    "signed_on_paper": True,
                    "scan_file": base64.b64encode(b"%PDF-1.4 scan"),
                    "scan_filename": "scan.pdf",
                }
            )
            with (
                self.subTest(fname=fname, path="paper"),
                self.assertRaisesRegex(ValidationError, re.escape(label)),
            ):
                as_head.action_sign()
            self.assertEqual(convention.state, "negotiation")

    def test_no_sending_without_its_parties(self):
        for fname, label in self.MISSING.items():
            convention = self._without(fname)
            with (
                self.subTest(fname=fname),
                self.assertRaisesRegex(ValidationError, re.escape(label)),
            ):
                convention.with_user(self.user_officer).action_bde_send_for_signature()
            self.assertFalse(convention.sign_request_id)

    def test_no_convention_recorded_in_force_without_its_parties(self):
        """By RPC: a head of school creates a convention already signed, or
        writes its state."""
        Convention = self.Convention.with_user(self.user_manager)
        vals = {
            "partner_id": self.company_partner.id,
            "company_id": self.lycee.id,
            "template_id": self.template.id,
            "date_start": DAY,
            "date_end": date(2028, 8, 31),
            "date_signed_lycee": DAY,
            "date_signed_partner": DAY,
            "state": "active",
        }
        with self.assertRaisesRegex(ValidationError, "the partner's signatory"):
            Convention.create(vals)
        with self.assertRaisesRegex(ValidationError, "at least one formation"):
            Convention.create({**vals, "partner_contact_id": self.signatory.id})
        convention = self._without("formation_ids")
        with self.assertRaisesRegex(UserError, "steps"):
            convention.with_user(self.user_manager).write({"state": "active"})

    def test_no_activation_without_its_parties(self):
        with freeze_time("2025-06-01"):
            convention = self._convention()
            convention.with_user(self.user_manager).write(
                {"date_signed_lycee": DAY, "date_signed_partner": DAY}
            )
            convention.with_user(self.user_manager).action_sign()
        self.assertEqual(convention.state, "signed")
        # A convention signed before the rule, without its formations: it
        # stays signed, the cron starts the others.
        convention.sudo().formation_ids = [(5,)]
        complete = self._convention()
        complete.with_user(self.user_manager).write(
            {"date_signed_lycee": DAY, "date_signed_partner": DAY}
        )
        with freeze_time("2025-06-01"):
            complete.with_user(self.user_manager).action_sign()
        with self.assertRaisesRegex(ValidationError, "at least one formation"):
            convention.action_activate()
        with freeze_time("2025-09-02"):
            self.Convention._cron_activate_started()
        self.assertEqual(convention.state, "signed")
        self.assertEqual(complete.state, "active")

    def test_academy_visa_date_when_the_template_asks(self):
        convention = self._convention(template_id=self.template_visa.id)
        as_head = convention.with_user(self.user_manager)
        as_head.write({"date_signed_lycee": DAY, "date_signed_partner": DAY})
        self.assertEqual(convention.signature_progress, 67)
        with self.assertRaisesRegex(ValidationError, "académie's visa"):
            as_head.action_sign()
        as_head.date_visa_academy = DAY
        with freeze_time(DAY):
            as_head.action_sign()
        self.assertEqual(convention.state, "active")

    def test_sending_is_for_the_bde_officers(self):
        convention = self._convention()
        with self.assertRaises(UserError):
            convention.with_user(self.user_teacher).action_bde_send_for_signature()
        self.assertFalse(convention.sign_request_id)


@tagged("post_install", "-at_install", "bde_lycee")
class TestWonLeadConvention(ConventionSignCase):
    def _won_lead(self, **vals):
        lead = self.env["crm.lead"].create(
            {
                "name": "Partenariat boulangerie",
                "team_id": self.env.ref("bde_lycee.crm_team_bde").id,
                "company_id": self.lycee.id,
                "bde_formation_ids": [self.formation.id],
                **vals,
            }
        )
        lead.stage_id = self.env.ref("bde_lycee.crm_stage_bde_partner")
        return lead.bde_convention_ids

    def test_lead_contact_and_formations(self):
        convention = self._won_lead(
            partner_id=self.company_partner.id,
            contact_name="Claire Dubois",
            function="Responsable RH",
            email_from="claire.dubois@boulangerie.test",
        )
        self.assertEqual(convention.partner_id, self.company_partner)
        contact = convention.partner_contact_id
        self.assertEqual(contact.name, "Claire Dubois")
        self.assertEqual(contact.parent_id, self.company_partner)
        self.assertEqual(contact.function, "Responsable RH")
        self.assertEqual(convention.formation_ids, self.formation)
        self.assertEqual(convention.signatory_lycee_id, self.user_manager)
        self.assertFalse(convention._get_missing_parties())

    def test_lead_of_a_person_of_the_company(self):
        convention = self._won_lead(partner_id=self.signatory.id)
        self.assertEqual(convention.partner_id, self.company_partner)
        self.assertEqual(convention.partner_contact_id, self.signatory)

    def test_lead_without_contact(self):
        convention = self._won_lead(partner_id=self.company_partner.id)
        self.assertFalse(convention.partner_contact_id)
        self.assertEqual(convention._get_missing_parties(), ["the partner's signatory"])


@tagged("post_install", "-at_install", "bde_lycee")
class TestConventionDocument(ConventionSignCase):
    def _html(self, convention):
        return (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "bde_lycee.report_bde_partnership_convention", convention.ids
            )[0]
            .decode()
        )

    def test_parties_as_a_head_signs_them(self):
        # The lycée writes in French, whatever the language of who prints.
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["web", "bde_lycee"], ["fr_FR"])
        self.lycee.partner_id.lang = "fr_FR"
        html = self._html(self._convention(template_id=self.template_visa.id))
        self.assertIn(self.user_manager.name, html)
        self.assertIn(BOARD, html)
        for role in ("head", "partner", "academy"):
            self.assertIn(f"[[sign:{role}]]", html)
        self.assertIn("DAFPIC de Lyon", html)
        # The lycée's language: French.
        self.assertIn("Convention de partenariat", html)
        self.assertNotIn("Partnership convention", html)
        # The signature block is kept with the last article.
        block = html.index('name="last_article_and_signatures"')
        self.assertLess(block, html.index("Tribunal administratif compétent"))
        self.assertLess(html.index("Article 9"), block)

    def test_no_empty_labels(self):
        """A lycée with no UAI nor address, a partner with no SIRET, no
        signatory on either side: no label is printed without its value."""
        self.other_lycee.write({"bde_uai": False, "bde_head_of_school_user_id": False})
        bare = self.env["res.partner"].create(
            {"name": "Atelier Nu", "is_company": True}
        )
        convention = self.Convention.create(
            {
                "partner_id": bare.id,
                "company_id": self.other_lycee.id,
                "template_id": self.template.id,
                "date_start": DAY,
                "date_end": date(2028, 8, 31),
            }
        )
        html = self._html(convention)
        for empty in ("UAI", "SIRET", "NAF", ", ,", "represented by ,", "<br/><br/>"):
            self.assertNotIn(empty, html)
        self.assertNotIn("[[sign:academy]]", html)
        self.assertNotIn(BOARD, html)


@tagged("post_install", "-at_install", "bde_lycee")
class TestConventionSignCircuit(ConventionSignCase, HttpCase):
    """The whole circuit through HTTP: sent by the BDE manager, signed by the
    head of school in the backend, by the partner's representative and the
    académie through their links. The PDFs are real (wkhtmltopdf)."""

    def _signer(self, convention, code):
        return convention.sign_request_id.signer_ids.filtered(
            lambda s: s.role_id.bde_code == code
        )

    def test_signed_online_by_every_party(self):
        convention = self._convention(template_id=self.template_visa.id)
        # The other lycée's head of school has nothing to sign here.
        self.assertFalse(
            self.Convention.with_user(self.user_other_manager).search(
                [("bde_to_sign_by_me", "=", True)]
            )
        )
        convention.with_user(self.user_officer).action_bde_send_for_signature()
        request = convention.sign_request_id
        self.assertEqual(request.state, "0_sent")
        self.assertEqual(
            {(s.role_id.bde_code, s.partner_id) for s in request.signer_ids},
            {
                ("head", self.user_manager.partner_id),
                ("partner", self.signatory),
                ("academy", self.academy),
            },
        )
        # Each party signs in its own cell of the printed convention: the
        # fields stand at the anchors, no page of signatures is appended.
        anchors = find_anchors(base64.b64decode(request.data))
        for item in request.signatory_data.values():
            code = self.env["sign.oca.role"].browse(item["role_id"]).bde_code
            self.assertEqual(item["page"], anchors[code][0])
        self.assertEqual(len(anchors), 3)
        # Out for signature, its terms and signatures no longer change by hand.
        with self.assertRaisesRegex(UserError, "out for signature"):
            convention.with_user(self.user_officer).partner_contact_id = False
        with self.assertRaisesRegex(UserError, "out for signature"):
            convention.with_user(self.user_manager).date_signed_lycee = DAY
        with self.assertRaisesRegex(UserError, "out for signature"):
            convention.with_user(self.user_manager).action_sign()

        # The partner's representative and the académie, through their links.
        sign_by_link(self, self._signer(convention, "partner"))
        self.assertEqual(convention.date_signed_partner, date.today())
        sign_by_link(self, self._signer(convention, "academy"))
        self.assertEqual(convention.date_visa_academy, date.today())
        self.assertEqual(convention.state, "negotiation")

        # The head of school, last: in their "To sign" list, signs through the
        # wizard. (Last, because the signed PDF and the certificate are
        # rendered then: wkhtmltopdf calls back the test server, which a test
        # HTTP request would hold.)
        as_head = self.Convention.with_user(self.user_manager)
        self.assertEqual(as_head.search([("bde_to_sign_by_me", "=", True)]), convention)
        # "Sign" from the list's actions.
        action = (
            self.env.ref("bde_lycee.bde_partnership_convention_action_sign")
            .with_user(self.user_manager)
            .with_context(active_model=convention._name, active_ids=convention.ids)
            .run()
        )
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.user_manager)
            .with_context(**action.get("context", {}))
            .create({"signature": signature_png()})
        )
        wizard.action_sign()
        self.assertTrue(self._signer(convention, "head").signed_on)
        self.assertEqual(convention.date_signed_lycee, date.today())

        convention.invalidate_recordset()
        self.assertEqual(request.state, "2_signed")
        self.assertEqual(convention.signature_progress, 100)
        # Signed after its start: in force, its partner active for the lycée.
        self.assertEqual(convention.state, "active")
        attachments = self.env["ir.attachment"].search(
            [
                ("res_model", "=", convention._name),
                ("res_id", "=", convention.id),
                ("mimetype", "=", "application/pdf"),
            ]
        )
        # The signed convention and its signature certificate.
        self.assertEqual(len(attachments), 2)
        self.assertTrue(any("signed" in name for name in attachments.mapped("name")))
        self.assertTrue(
            all(base64.b64decode(a.datas).startswith(b"%PDF") for a in attachments)
        )

    def test_cancelled_request_frees_the_terms(self):
        convention = self._convention()
        convention.with_user(self.user_officer).action_bde_send_for_signature()
        convention.with_user(self.user_officer).action_bde_cancel_signature()
        self.assertNotEqual(convention.sign_request_state, "0_sent")
        convention.with_user(self.user_officer).partner_contact_id = False
        self.assertFalse(convention.partner_contact_id)

    def test_reset_to_draft_voids_the_request(self):
        convention = self._convention()
        as_officer = convention.with_user(self.user_officer)
        as_officer.action_bde_send_for_signature()
        first = convention.sign_request_id
        as_officer.action_reset_draft()
        self.assertFalse(convention.sign_request_id)
        self.assertNotEqual(first.state, "0_sent")
        as_officer.action_to_negotiation()
        as_officer.action_bde_send_for_signature()
        self.assertNotEqual(convention.sign_request_id, first)
        self.assertEqual(convention.sign_request_state, "0_sent")

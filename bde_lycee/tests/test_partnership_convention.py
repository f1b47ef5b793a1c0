import base64
import io
from datetime import date

from freezegun import freeze_time
from openpyxl import load_workbook

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import BdeLyceeCase

CLAUSES = {
    "preamble": "<p>Préambule de test : le bureau des entreprises.</p>",
    "clause_object": "<p>Objet de test : découverte des métiers.</p>",
    "clause_commitments_lycee": "<p>Le lycée s'engage.</p>",
    "clause_commitments_partner": "<p>L'entreprise s'engage.</p>",
    "clause_terms": "<p>Modalités de test.</p>",
    "clause_duration": "<p>Trois années scolaires.</p>",
    "clause_follow_up": "<p>Bilan annuel.</p>",
    "clause_financial": "<p>Aucune contrepartie financière.</p>",
    "clause_confidentiality": "<p>Discrétion.</p>",
    "clause_safety": "<p>Consignes de sécurité.</p>",
    "clause_insurance": "<p>Responsabilité civile.</p>",
    "clause_disputes": "<p>Tribunal administratif compétent.</p>",
}


@tagged("post_install", "-at_install", "bde_lycee")
class TestPartnershipConvention(BdeLyceeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The head of school signs every convention of the lycée by default.
        cls.lycee.write(
            {
                "bde_manager_id": cls.user_officer.id,
                "bde_head_of_school_user_id": cls.user_manager.id,
                "city": "Lyon",
            }
        )
        cls.other_lycee.bde_head_of_school_user_id = new_test_user(
            cls.env,
            login="bde_other_head",
            groups="base.group_user,bde_lycee.group_bde_manager",
            company_id=cls.other_lycee.id,
            company_ids=[cls.other_lycee.id],
        )
        cls.template = cls.env["bde.partnership.convention.template"].create(
            {"name": "Modèle de test", "kind": "company", **CLAUSES}
        )
        cls.signatory = cls.env["res.partner"].create(
            {
                "name": "Paul Fournier",
                "function": "Gérant",
                "parent_id": cls.company_partner.id,
            }
        )
        cls.prospect = cls.env["res.partner"].create(
            {
                "name": "Électricité Test",
                "is_company": True,
                "siret": "45213689800015",
                "bde_naf_code": "43.21A",
            }
        )
        cls.prospect.with_company(cls.lycee).bde_partner_status = "prospect"
        cls.Convention = cls.env["bde.partnership.convention"]

    def _create_convention(self, **vals):
        return self.Convention.create(
            {
                "partner_id": self.company_partner.id,
                "partner_contact_id": self.signatory.id,
                "company_id": self.lycee.id,
                "template_id": self.template.id,
                "formation_ids": [self.formation.id],
                "date_start": date(2025, 9, 1),
                "date_end": date(2028, 8, 31),
                **vals,
            }
        )

    def _sign(self, convention, day=date(2025, 9, 1)):
        convention.action_to_negotiation()
        convention.write({"date_signed_lycee": day, "date_signed_partner": day})
        convention.action_sign()

    def _active_convention(self, **vals):
        with freeze_time("2025-09-01"):
            convention = self._create_convention(**vals)
            self._sign(convention)
        return convention

    # Creation and templates

    def test_reference_and_default_template(self):
        convention = self.Convention.create(
            {"partner_id": self.company_partner.id, "company_id": self.lycee.id}
        )
        self.assertRegex(convention.name, r"^CP/\d{4}/\d{4}$")
        self.assertEqual(
            convention.template_id,
            self.env.ref("bde_lycee.bde_partnership_convention_template_company"),
        )
        self.assertIn("24 mai 2023", convention.preamble)
        self.assertIn("présente convention", convention.clause_object)
        self.assertEqual(convention.state, "draft")
        self.assertEqual(convention.user_id, self.env.user)

    def test_template_fills_clauses(self):
        convention = self._create_convention()
        self.assertEqual(str(convention.clause_object), CLAUSES["clause_object"])
        other = self.template.copy(
            {"name": "Autre modèle", "clause_object": "<p>Autre objet.</p>"}
        )
        with Form(convention) as form:
            form.template_id = other
        self.assertEqual(str(convention.clause_object), "<p>Autre objet.</p>")
        # Edited texts stay when the template is removed.
        convention.clause_terms = "<p>Modalités adaptées.</p>"
        convention.template_id = False
        self.assertEqual(str(convention.clause_terms), "<p>Modalités adaptées.</p>")
        self.assertEqual(str(convention.clause_object), "<p>Autre objet.</p>")

    def test_dates_must_follow(self):
        with self.assertRaisesRegex(ValidationError, "must end after it starts"):
            self._create_convention(date_end=date(2025, 8, 1))

    # State machine

    @freeze_time("2025-06-01")
    def test_state_machine(self):
        convention = self._create_convention()
        with self.assertRaisesRegex(UserError, "Cannot sign"):
            convention.action_sign()
        convention.action_to_negotiation()
        self.assertEqual(convention.state, "negotiation")
        with self.assertRaisesRegex(UserError, "Cannot activate"):
            convention.action_activate()
        with self.assertRaisesRegex(ValidationError, "signature dates"):
            convention.action_sign()
        convention.write(
            {
                "date_signed_lycee": date(2025, 5, 30),
                "date_signed_partner": date(2025, 5, 28),
            }
        )
        self.assertEqual(convention.signature_progress, 100)
        convention.action_sign()
        # Signed before its start: it waits for 1 September.
        self.assertEqual(convention.state, "signed")
        with self.assertRaisesRegex(UserError, "becomes active on that day"):
            convention.action_activate()
        convention.action_reset_draft()
        self.assertEqual(convention.state, "draft")
        self.assertEqual(convention.date_signed_lycee, date(2025, 5, 30))
        convention.action_to_negotiation()
        convention.action_sign()
        with freeze_time("2025-09-01"):
            convention.action_activate()
        self.assertEqual(convention.state, "active")
        with self.assertRaisesRegex(UserError, "Cannot reset to draft"):
            convention.action_reset_draft()
        with self.assertRaisesRegex(UserError, "deleted"):
            convention.unlink()

    def test_sign_lists_missing_clauses(self):
        convention = self._create_convention(
            clause_object="<p><br></p>", clause_disputes=False
        )
        convention.action_to_negotiation()
        convention.write(
            {
                "date_signed_lycee": date(2025, 9, 1),
                "date_signed_partner": date(2025, 9, 1),
            }
        )
        with self.assertRaises(ValidationError) as error:
            convention.action_sign()
        message = str(error.exception)
        self.assertIn("Object of the convention", message)
        self.assertIn("Settlement of disputes", message)
        self.assertNotIn("Duration of the convention", message)
        self.assertEqual(convention.state, "negotiation")

    @freeze_time("2025-09-01")
    def test_sign_on_paper_requires_scan(self):
        convention = self._create_convention(signed_on_paper=True)
        convention.action_to_negotiation()
        with self.assertRaisesRegex(ValidationError, "scanned copy"):
            convention.action_sign()
        convention.write(
            {
                "scan_file": base64.b64encode(b"%PDF-1.4 scan"),
                "scan_filename": "convention.pdf",
            }
        )
        convention.action_sign()
        # Signed on the start day: in force at once.
        self.assertEqual(convention.state, "active")
        with self.assertRaisesRegex(ValidationError, "scanned copy"):
            convention.scan_file = False

    def test_terminate_asks_a_reason(self):
        convention = self._active_convention()
        action = convention.action_open_terminate_wizard()
        wizard_form = Form(
            self.env[action["res_model"]].with_context(**action["context"])
        )
        with self.assertRaises(AssertionError):
            wizard_form.save()
        wizard_form.reason = "Fermeture du site de Lyon."
        wizard_form.save().action_terminate()
        self.assertEqual(convention.state, "terminated")
        self.assertEqual(convention.termination_reason, "Fermeture du site de Lyon.")
        with self.assertRaisesRegex(UserError, "reason"):
            self._active_convention().action_terminate("  ")
        with self.assertRaisesRegex(UserError, "Cannot terminate"):
            self._create_convention().action_terminate("Abandon")

    # Partner status

    def _status(self, partner, lycee=None):
        return partner.with_company(lycee or self.lycee).bde_partner_status

    def test_partner_status_follows_conventions(self):
        first = self._active_convention(partner_id=self.prospect.id)
        self.assertEqual(self._status(self.prospect), "active")
        self.assertFalse(self._status(self.prospect, self.other_lycee))
        with freeze_time("2025-09-01"):
            second = self._create_convention(
                partner_id=self.prospect.id, company_id=self.other_lycee.id
            )
            self._sign(second)
        self.assertEqual(self._status(self.prospect, self.other_lycee), "active")
        third = self._active_convention(partner_id=self.prospect.id)
        first.action_terminate("Changement de stratégie.")
        # Another convention of the lycée still binds the company.
        self.assertEqual(self._status(self.prospect), "active")
        third.action_terminate("Changement de stratégie.")
        # Each lycée its own partnership: the other lycée's convention is its.
        self.assertEqual(self._status(self.prospect), "former")
        self.assertEqual(self._status(self.prospect, self.other_lycee), "active")
        with freeze_time("2028-09-01"):
            self.Convention._cron_check_conventions()
        self.assertEqual(second.state, "expired")
        self.assertEqual(self._status(self.prospect, self.other_lycee), "former")

    # Renewal

    def test_renewal(self):
        old = self._active_convention()
        old.clause_terms = "<p>Modalités adaptées.</p>"
        action = old.action_renew()
        new = self.Convention.browse(action["res_id"])
        self.assertEqual(new.state, "draft")
        self.assertEqual(
            (new.date_start, new.date_end), (date(2028, 9, 1), date(2031, 8, 31))
        )
        self.assertEqual(str(new.clause_terms), "<p>Modalités adaptées.</p>")
        self.assertEqual(new.renewed_from_id, old)
        self.assertEqual(old.renewal_id, new)
        self.assertNotEqual(new.name, old.name)
        self.assertFalse(new.date_signed_lycee)
        with self.assertRaisesRegex(UserError, "already renewed"):
            old.action_renew()
        # The old convention stays in force until the new one starts.
        self._sign(new, day=date(2028, 6, 1))
        self.assertEqual((old.state, new.state), ("active", "signed"))
        with freeze_time("2028-09-01"):
            self.Convention._cron_check_conventions()
        self.assertEqual((old.state, new.state), ("renewed", "active"))
        self.assertEqual(self._status(self.company_partner), "active")

    # Scheduled action

    def test_cron_renewal_activity_once(self):
        ending = self._active_convention(date_end=date(2026, 8, 31))
        later = self._active_convention(date_end=date(2027, 8, 31))
        self.lycee.bde_manager_id = self.user_manager
        activity_type = self.env.ref("bde_lycee.mail_activity_type_convention_renewal")
        with freeze_time("2026-06-05"):
            self.Convention._cron_check_conventions()
            self.Convention._cron_check_conventions()
        activities = ending.activity_ids
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.activity_type_id, activity_type)
        self.assertEqual(activities.user_id, self.user_manager)
        self.assertEqual(activities.date_deadline, date(2026, 7, 5))
        self.assertFalse(later.activity_ids)
        activities.action_feedback(feedback="Rendez-vous fixé.")
        with freeze_time("2026-06-15"):
            self.Convention._cron_check_conventions()
        self.assertFalse(ending.activity_ids)
        with freeze_time("2026-09-01"):
            self.Convention._cron_check_conventions()
        self.assertEqual((ending.state, later.state), ("expired", "active"))

    def test_cron_activity_falls_back_to_responsible(self):
        self.lycee.bde_manager_id = False
        convention = self._active_convention(
            date_end=date(2026, 8, 31), user_id=self.user_teacher.id
        )
        with freeze_time("2026-08-15"):
            self.Convention._cron_check_conventions()
        self.assertEqual(convention.activity_ids.user_id, self.user_teacher)
        self.assertEqual(convention.activity_ids.date_deadline, date(2026, 8, 31))

    def test_cron_activates_signed_conventions(self):
        with freeze_time("2025-06-01"):
            convention = self._create_convention(partner_id=self.prospect.id)
            self._sign(convention, day=date(2025, 6, 1))
            self.Convention._cron_check_conventions()
        self.assertEqual(convention.state, "signed")
        self.assertEqual(self._status(self.prospect), "prospect")
        with freeze_time("2025-09-01"):
            self.Convention._cron_check_conventions()
        self.assertEqual(convention.state, "active")
        self.assertEqual(self._status(self.prospect), "active")

    # Documents

    def test_report_html(self):
        convention = self._create_convention(
            signatory_lycee_id=self.user_manager.id, clause_financial=False
        )
        report = self.env["ir.actions.report"]
        html = report._render_qweb_html(
            "bde_lycee.report_bde_partnership_convention", convention.ids
        )[0].decode()
        for text in (
            "0750655E",
            "73282932000074",
            "Paul Fournier",
            self.user_manager.name,
            convention.name,
            "Préambule de test",
            "Objet de test",
            "Tribunal administratif compétent",
        ):
            self.assertIn(text, html)
        self.assertIn("Article 1 — Object of the convention", html)
        self.assertIn("Article 2 — Commitments of the lycée", html)
        # No financial clause: the articles stay numbered without a gap.
        self.assertNotIn("Financial provisions", html)
        self.assertIn("Article 7 — Confidentiality", html)
        self.assertIn("Article 10 — Settlement of disputes", html)

    def _export(self, **vals):
        wizard = (
            self.env["bde.partnership.convention.export"]
            .with_user(self.user_officer)
            .create(vals)
        )
        action = wizard.action_export()
        self.assertEqual(
            action["url"],
            f"/web/content?model={wizard._name}&id={wizard.id}&field=file"
            "&filename_field=filename&download=true",
        )
        return load_workbook(io.BytesIO(base64.b64decode(wizard.file)))

    def test_export_xlsx(self):
        self.company_partner.write(
            {"city": "Lyon", "bde_sector_ids": [(4, self.sector.id)]}
        )
        active = self._active_convention()
        self._create_convention(partner_id=self.prospect.id)
        with freeze_time("2025-09-01"):
            other = self._create_convention(company_id=self.other_lycee.id)
            self._sign(other)
        sheet = self._export(state_filter="in_force").active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:3], ("Lycée", "UAI", "Company"))
        self.assertEqual(len(rows), 2, "Draft and other lycée's conventions left out")
        row = rows[1]
        self.assertEqual(
            row[:9],
            (
                "LP Test Jaurès",
                "0750655E",
                "Boulangerie Test",
                "73282932000074",
                "10.71C",
                "Lyon",
                "Commerce test",
                "Bac pro MCV test",
                active.name,
            ),
        )
        self.assertEqual(row[9].date(), date(2025, 9, 1))
        self.assertEqual(row[10].date(), date(2028, 8, 31))
        self.assertEqual(row[11], "In force")
        self.assertEqual(row[12].date(), date(2025, 9, 1))
        rows = list(self._export(state_filter="all").active.iter_rows(values_only=True))
        self.assertEqual(len(rows), 3)
        with self.assertRaisesRegex(UserError, "No convention"):
            self._export(state_filter="in_force", school_year="2030-2031")
        with self.assertRaises(ValidationError):
            self._export(school_year="2030")

    # Access rights and companies

    def test_access_rights(self):
        convention = self._create_convention()
        as_teacher = convention.with_user(self.user_teacher)
        self.assertEqual(as_teacher.partner_id, self.company_partner)
        with self.assertRaises(AccessError):
            as_teacher.clause_terms = "<p>Non.</p>"
        with self.assertRaises(AccessError):
            self.Convention.with_user(self.user_teacher).create(
                {"partner_id": self.company_partner.id}
            )
        as_officer = convention.with_user(self.user_officer)
        as_officer.action_to_negotiation()
        as_officer.date_signed_partner = date(2025, 9, 1)
        convention.with_user(self.user_manager).date_signed_lycee = date(2025, 9, 1)
        with self.assertRaisesRegex(AccessError, "head of school"):
            as_officer.action_sign()
        with freeze_time("2025-09-01"):
            convention.with_user(self.user_manager).action_sign()
        self.assertEqual(convention.state, "active")
        # Teachers read the templates; the BDE edits them.
        self.template.with_user(self.user_officer).name = "Modèle revu"
        with self.assertRaises(AccessError):
            self.template.with_user(self.user_teacher).name = "Non"

    def test_other_lycee_cannot_read(self):
        convention = self._create_convention()
        other_officer = self.Convention.with_user(self.user_other_lycee)
        self.assertFalse(other_officer.search([("id", "=", convention.id)]))
        with self.assertRaises(AccessError):
            convention.with_user(self.user_other_lycee).read(["name"])
        own = other_officer.create({"partner_id": self.company_partner.id})
        self.assertEqual(own.company_id, self.other_lycee)
        self.assertEqual(
            self.company_partner.with_user(self.user_other_lycee).bde_convention_count,
            1,
        )
        self.assertEqual(
            self.company_partner.with_user(self.user_officer).bde_convention_count, 1
        )

    def test_company_consistency(self):
        other_formation = self.env["bde.formation"].create(
            {"name": "CAP autre lycée", "company_id": self.other_lycee.id}
        )
        with self.assertRaises(UserError):
            self._create_convention(formation_ids=[other_formation.id])

    def test_partner_smart_button(self):
        self._create_convention()
        self._create_convention()
        self.assertEqual(self.company_partner.bde_convention_count, 2)
        action = self.company_partner.action_view_bde_conventions()
        self.assertEqual(
            self.Convention.search(action["domain"]).partner_id, self.company_partner
        )
        self.assertEqual(
            action["context"]["default_partner_id"], self.company_partner.id
        )


@tagged("post_install", "-at_install", "bde_lycee")
class TestPartnershipConventionPdf(BdeLyceeCase, HttpCase):
    """An HttpCase: wkhtmltopdf loads the report's assets from the server."""

    def test_report_pdf(self):
        convention = self.env["bde.partnership.convention"].create(
            {"partner_id": self.company_partner.id, "company_id": self.lycee.id}
        )
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "bde_lycee.report_bde_partnership_convention", convention.ids
            )
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

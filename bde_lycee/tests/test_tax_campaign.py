from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import BdeLyceeCase


@tagged("post_install", "-at_install", "bde_lycee")
class TestTaxCampaign(BdeLyceeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lycee.write(
            {
                "street": "12 avenue Jean Jaurès",
                "zip": "69007",
                "city": "Lyon",
                "bde_email": "bde-LP0750655E@ac-lyon.fr",
            }
        )
        cls.company_partner.email = "contact@boulangerie-test.fr"
        # The statuses are the campaign's lycée's.
        cls.company_partner.with_company(cls.lycee).bde_partner_status = "active"
        Partner = cls.env["res.partner"].with_company(cls.lycee)
        cls.active_partner_2 = Partner.create(
            {
                "name": "Garage Test",
                "is_company": True,
                "email": "garage@test.fr",
                "bde_partner_status": "active",
            }
        )
        cls.prospect = Partner.create(
            {
                "name": "Prospect Test",
                "is_company": True,
                "bde_partner_status": "prospect",
            }
        )
        cls.former_with_won_lead = Partner.create(
            {"name": "Ancien Partenaire Test", "is_company": True, "email": "a@test.fr"}
        )
        cls.person = Partner.create(
            {"name": "Personne Test", "bde_partner_status": "active"}
        )
        cls.campaign = (
            cls.env["bde.tax.campaign"]
            .with_company(cls.lycee)
            .create(
                {
                    "year": 2026,
                    "date_start": "2026-03-01",
                    "date_end": "2026-10-15",
                    "user_id": cls.user_officer.id,
                    "state": "running",
                }
            )
        )

    def _create_pledge(self, partner, **values):
        return self.env["bde.tax.pledge"].create(
            {"campaign_id": self.campaign.id, "partner_id": partner.id, **values}
        )

    def _make_won_lead(self, partner):
        """A won lead of the BDE pipeline whose company is no active partner."""
        team = self.env.ref("bde_lycee.crm_team_bde")
        won_stage = self.env["crm.stage"].create(
            {"name": "Partenaire test", "is_won": True, "team_id": team.id}
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "Partenariat test",
                "type": "opportunity",
                "team_id": team.id,
                "partner_id": partner.id,
                "company_id": self.lycee.id,
            }
        )
        lead.stage_id = won_stage
        partner.with_company(self.lycee).bde_partner_status = "former"

    def test_name_from_year(self):
        self.assertEqual(self.campaign.name, "Apprenticeship tax 2026")
        self.assertEqual(self.campaign.company_id, self.lycee)

    def test_add_targets_without_duplicates(self):
        self._make_won_lead(self.former_with_won_lead)
        self.campaign.action_add_targets()
        pledges = self.campaign.pledge_ids
        targets = (
            self.company_partner | self.active_partner_2 | self.former_with_won_lead
        )
        self.assertEqual(pledges.partner_id & targets, targets)
        self.assertNotIn(self.prospect, pledges.partner_id)
        self.assertNotIn(self.person, pledges.partner_id)
        self.assertTrue(all(pledges.partner_id.mapped("is_company")))
        self.assertEqual(len(pledges), len(pledges.partner_id))
        self.assertEqual(set(pledges.mapped("state")), {"to_contact"})
        self.assertEqual(pledges.company_id, self.lycee)
        # A second click adds only the newcomers.
        newcomer = (
            self.env["res.partner"]
            .with_company(self.lycee)
            .create(
                {
                    "name": "Nouveau Test",
                    "is_company": True,
                    "bde_partner_status": "active",
                }
            )
        )
        self.campaign.action_add_targets()
        self.assertEqual((self.campaign.pledge_ids - pledges).partner_id, newcomer)
        self.assertEqual(len(self.campaign.pledge_ids), len(pledges) + 1)
        self.campaign.action_add_targets()
        self.assertEqual(len(self.campaign.pledge_ids), len(pledges) + 1)

    def test_send_request(self):
        other_formation = self.env["bde.formation"].create(
            {"name": "CAP Cuisine test", "level": "cap", "company_id": self.lycee.id}
        )
        pledge = self._create_pledge(self.company_partner)
        declined = self._create_pledge(self.active_partner_2, state="declined")
        self.assertEqual(pledge.soltea_formation_ids, self.formation | other_formation)
        self.campaign.action_send_request()
        self.assertEqual(pledge.state, "contacted")
        self.assertEqual(declined.state, "declined")
        message = pledge.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(message), 1)
        self.assertIn("0750655E", message.body)
        self.assertIn("Bac pro MCV test", message.body)
        self.assertIn("CAP Cuisine test", message.body)
        self.assertIn("https://soltea.education.gouv.fr", message.body)
        self.assertIn("12 avenue Jean Jaurès", message.body)
        self.assertIn("15/10/2026", message.body)
        self.assertIn("Taxe d'apprentissage 2026", message.subject)
        self.assertEqual(message.partner_ids, self.company_partner)
        self.assertFalse(
            declined.message_ids.filtered(lambda m: m.message_type == "comment")
        )
        # Nothing left to contact.
        with self.assertRaises(UserError):
            self.campaign.action_send_request()

    def test_send_request_pledge_formations(self):
        other_formation = self.env["bde.formation"].create(
            {"name": "CAP Cuisine test", "level": "cap", "company_id": self.lycee.id}
        )
        pledge = self._create_pledge(
            self.company_partner, formation_ids=[other_formation.id]
        )
        pledge.action_send_request()
        message = pledge.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertIn("CAP Cuisine test", message.body)
        self.assertNotIn("Bac pro MCV test", message.body)

    def test_send_request_without_email_sends_nothing(self):
        pledge = self._create_pledge(self.company_partner)
        no_email = self._create_pledge(self.prospect)
        with self.assertRaisesRegex(UserError, "Prospect Test"):
            self.campaign.action_send_request()
        self.assertEqual((pledge | no_email).mapped("state"), ["to_contact"] * 2)
        self.assertFalse(
            pledge.message_ids.filtered(lambda m: m.message_type == "comment")
        )

    @freeze_time("2026-06-01")
    def test_amounts_set_states_and_dates(self):
        pledge = self._create_pledge(self.company_partner, state="contacted")
        pledge.amount_promised = 1500
        self.assertEqual(pledge.state, "promised")
        self.assertEqual(pledge.date_promised, date(2026, 6, 1))
        pledge.amount_received = 1200
        self.assertEqual(pledge.state, "received")
        self.assertEqual(pledge.date_received, date(2026, 6, 1))
        declined = self._create_pledge(self.active_partner_2)
        declined.action_decline()
        self.assertEqual(declined.state, "declined")

    def test_totals_exact(self):
        self._create_pledge(
            self.company_partner, amount_promised=1500, amount_received=1200
        )
        self._create_pledge(self.active_partner_2, amount_promised=750.50)
        self._create_pledge(self.prospect, state="declined")
        campaign = self.campaign
        self.assertEqual(campaign.pledge_count, 3)
        self.assertEqual(campaign.amount_promised_total, 2250.50)
        self.assertEqual(campaign.amount_received_total, 1200)
        self.assertAlmostEqual(campaign.received_rate, 100 * 1200 / 2250.50)
        self.assertEqual(self.company_partner.bde_tax_pledge_count, 1)

    def test_totals_by_formation(self):
        cuisine = self.env["bde.formation"].create(
            {"name": "CAP Cuisine test", "level": "cap", "company_id": self.lycee.id}
        )
        self._create_pledge(
            self.company_partner,
            amount_promised=1000,
            formation_ids=[self.formation.id, cuisine.id],
        )
        self._create_pledge(
            self.active_partner_2, amount_promised=400, formation_ids=[cuisine.id]
        )
        action = self.campaign.action_view_pledge_analysis()
        self.assertEqual(action["res_model"], "bde.tax.report")
        self.assertEqual(
            action["context"]["pivot_row_groupby"], ["line_type", "formation_id"]
        )
        # The pledge to two formations is split, not counted twice: the
        # formations add up to the campaign's 1,400 promised.
        by_formation = dict(
            self.env["bde.tax.report"]._read_group(
                action["domain"] + [("line_type", "!=", "target")],
                ["formation_id"],
                ["amount_promised:sum"],
            )
        )
        self.assertEqual(by_formation, {self.formation: 500, cuisine: 900})
        self.assertEqual(
            sum(by_formation.values()), self.campaign.amount_promised_total
        )

    def test_one_pledge_per_partner_and_campaign(self):
        self._create_pledge(self.company_partner)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self._create_pledge(self.company_partner)

    def test_negative_amount_refused(self):
        pledge = self._create_pledge(self.company_partner)
        for field in ("amount_promised", "amount_received"):
            with (
                self.subTest(field=field),
                mute_logger("odoo.sql_db"),
                self.assertRaises(IntegrityError),
                self.env.cr.savepoint(),
            ):
                pledge.write({field: -10})
                pledge.flush_recordset()

    @freeze_time("2026-11-20")
    def test_thank_you_letter(self):
        formation = self.formation
        pledge = self._create_pledge(
            self.company_partner,
            amount_promised=1500,
            amount_received=1500,
            formation_ids=[formation.id],
        )
        action = pledge.with_user(self.user_officer).action_thank()
        self.assertTrue(pledge.thanked)
        self.assertEqual(pledge.date_thanked, date(2026, 11, 20))
        self.assertEqual(
            action["report_name"], "bde_lycee.report_bde_tax_pledge_thanks"
        )
        report = self.env["ir.actions.report"]
        html = report._render_qweb_html(
            "bde_lycee.report_bde_tax_pledge_thanks", pledge.ids
        )[0].decode()
        self.assertIn("0750655E", html)
        self.assertIn("1,500.00", html)
        self.assertIn("Bac pro MCV test", html)
        self.assertIn("Boulangerie Test", html)
        pdf, report_type = report.with_context(
            force_report_rendering=True
        )._render_qweb_pdf("bde_lycee.report_bde_tax_pledge_thanks", pledge.ids)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_thank_only_received(self):
        pledge = self._create_pledge(self.company_partner, amount_promised=500)
        with self.assertRaises(UserError):
            pledge.action_thank()
        self.assertFalse(pledge.thanked)

    def test_access_teacher_reads_only(self):
        pledge = self._create_pledge(self.company_partner, amount_promised=500)
        self.assertEqual(
            self.campaign.with_user(self.user_teacher).amount_promised_total, 500
        )
        self.assertEqual(pledge.with_user(self.user_teacher).amount_promised, 500)
        with self.assertRaises(AccessError):
            pledge.with_user(self.user_teacher).amount_received = 500
        with self.assertRaises(AccessError):
            self.campaign.with_user(self.user_teacher).action_add_targets()
        pledge.with_user(self.user_officer).amount_received = 500
        self.assertEqual(pledge.state, "received")

    def test_other_lycee_cannot_read(self):
        pledge = self._create_pledge(self.company_partner)
        for record in (self.campaign, pledge):
            with self.subTest(model=record._name):
                Model = self.env[record._name].with_user(self.user_other_lycee)
                self.assertFalse(Model.search([("id", "=", record.id)]))
                with self.assertRaises(AccessError):
                    record.with_user(self.user_other_lycee).read(["year"])

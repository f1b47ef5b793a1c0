from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import BdeLyceeCase


@tagged("post_install", "-at_install", "bde_lycee")
class TestCrmPipeline(BdeLyceeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env.ref("bde_lycee.crm_team_bde")
        cls.stage_identified = cls.env.ref("bde_lycee.crm_stage_bde_identified")
        cls.stage_partner = cls.env.ref("bde_lycee.crm_stage_bde_partner")
        cls.prospect = cls.env["res.partner"].create(
            {"name": "Garage Test Gerland", "is_company": True}
        )
        cls.other_team = cls.env["crm.team"].create({"name": "Ventes test"})

    def _new_lead(self, partner=None, team=None, **vals):
        return (
            self.env["crm.lead"]
            .with_user(self.user_officer)
            .create(
                {
                    "name": "Accueil de PFMP",
                    "type": "opportunity",
                    "team_id": (team or self.team).id,
                    "partner_id": partner and partner.id,
                    "company_id": self.lycee.id,
                    **vals,
                }
            )
        )

    def _status(self, partner):
        """The partner's status in the lycée of the test leads."""
        return partner.with_company(self.lycee).bde_partner_status

    def _conventions(self, lead):
        return self.env["bde.partnership.convention"].search(
            [("lead_id", "=", lead.id)]
        )

    def test_team_and_stages(self):
        stages = self.env["crm.stage"].search([("team_id", "=", self.team.id)])
        self.assertEqual(self.team.name, "Bureau des entreprises")
        self.assertEqual(
            stages.mapped("name"),
            [
                "Identified",
                "Contacted",
                "Meeting",
                "Convention in preparation",
                "Partner",
            ],
        )
        self.assertEqual(stages.filtered("is_won"), self.stage_partner)

    def test_new_lead_starts_identified(self):
        lead = self._new_lead(self.prospect)
        self.assertEqual(lead.stage_id, self.stage_identified)
        self.assertTrue(lead.bde_is_bde_team)

    def test_won_by_action_opens_one_convention(self):
        lead = self._new_lead(self.prospect, bde_partnership_kind="pfmp")
        lead.action_set_won()

        self.assertEqual(lead.stage_id, self.stage_partner)
        self.assertEqual(self._status(self.prospect), "active")
        convention = self._conventions(lead)
        self.assertEqual(len(convention), 1)
        self.assertEqual(convention.state, "draft")
        self.assertEqual(convention.partner_id, self.prospect)
        self.assertEqual(convention.company_id, self.lycee)
        self.assertEqual(convention.user_id, self.user_officer)
        self.assertEqual(lead.bde_convention_count, 1)
        self.assertIn(f'data-oe-id="{convention.id}"', str(lead.message_ids[0].body))

        # Lost, restored and won again: the convention already exists.
        lead.action_set_lost()
        lead.action_unarchive()
        lead.action_set_won()
        self.assertEqual(len(self._conventions(lead)), 1)

    def test_won_by_stage_write(self):
        lead = self._new_lead(self.prospect)
        lead.write({"stage_id": self.stage_partner.id})
        self.assertEqual(self._status(self.prospect), "active")
        self.assertEqual(len(self._conventions(lead)), 1)
        # Saving the won lead again does not open a second convention.
        lead.write({"stage_id": self.stage_partner.id, "priority": "2"})
        self.assertEqual(len(self._conventions(lead)), 1)

    def test_won_lead_without_partner_creates_the_company(self):
        lead = self._new_lead(
            partner_name="Électricité Test Vaise", contact_name="Paul Girard"
        )
        lead.action_set_won()
        company = lead.partner_id.commercial_partner_id
        self.assertEqual(company.name, "Électricité Test Vaise")
        self.assertTrue(company.is_company)
        self.assertEqual(self._status(company), "active")
        self.assertEqual(self._conventions(lead).partner_id, company)

    def test_lead_of_another_team_does_nothing(self):
        lead = self._new_lead(self.prospect, team=self.other_team)
        self.assertFalse(self._status(self.prospect))
        lead.action_set_won()
        self.assertTrue(lead.stage_id.is_won)
        self.assertFalse(self._status(self.prospect))
        self.assertFalse(self._conventions(lead))

    def test_new_lead_marks_prospect_never_downgrades(self):
        self._new_lead(self.prospect)
        self.assertEqual(self._status(self.prospect), "prospect")

        self.company_partner.with_company(self.lycee).bde_partner_status = "active"
        self._new_lead(self.company_partner)
        self.assertEqual(self._status(self.company_partner), "active")

        contact = self.env["res.partner"].create(
            {"name": "Jeanne Test", "parent_id": self.prospect.id}
        )
        self.prospect.with_company(self.lycee).bde_partner_status = "former"
        lead = self._new_lead()
        lead.partner_id = contact
        self.assertEqual(self._status(self.prospect), "former")

    def test_prospect_through_contact(self):
        contact = self.env["res.partner"].create(
            {"name": "Jeanne Test", "parent_id": self.prospect.id}
        )
        self._new_lead(contact)
        self.assertEqual(self._status(self.prospect), "prospect")

    def test_access(self):
        with self.assertRaises(AccessError):
            self.env["crm.lead"].with_user(self.user_teacher).create(
                {"name": "Forum", "team_id": self.team.id}
            )
        lead = self._new_lead(self.prospect)
        self.assertEqual(lead.user_id, self.user_officer)
        self.user_teacher.groups_id |= self.env.ref("sales_team.group_sale_salesman")
        lead = (
            self.env["crm.lead"]
            .with_user(self.user_teacher)
            .create(
                {"name": "Forum", "team_id": self.team.id, "company_id": self.lycee.id}
            )
        )
        self.assertEqual(lead.stage_id, self.stage_identified)

    def test_pipeline_columns_are_the_bde_stages(self):
        stages = (
            self.env["crm.lead"]
            .with_context(default_team_id=self.team.id)
            ._read_group_stage_ids(self.env["crm.stage"], [])
        )
        self.assertEqual(stages.team_id, self.team)
        self.assertEqual(len(stages), 5)

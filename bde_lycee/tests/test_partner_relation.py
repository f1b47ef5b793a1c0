from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import BdeLyceeCase


@tagged("post_install", "-at_install", "bde_lycee")
class TestPartnerRelation(BdeLyceeCase):
    """A company shared by two lycées, an active partner of the first one
    only: each lycée counts, solicits and follows its own partners."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Relation = cls.env["bde.partner.relation"]
        cls.shared = cls.env["res.partner"].create(
            {"name": "Métallerie Test Partagée", "is_company": True}
        )
        cls.relation = cls.Relation.create(
            {
                "partner_id": cls.shared.id,
                "company_id": cls.lycee.id,
                "status": "active",
                "note": "<p>Le gérant connaît Léa Martin, élève de T MCV.</p>",
            }
        )

    def _status(self, partner, user):
        return partner.with_user(user).bde_partner_status

    def _relations(self, partner):
        return self.Relation.search([("partner_id", "=", partner.id)])

    def test_status_is_the_current_lycee_s(self):
        self.assertEqual(self._status(self.shared, self.user_officer), "active")
        self.assertFalse(self._status(self.shared, self.user_other_lycee))
        Partner = self.env["res.partner"]
        for user, found in [(self.user_officer, True), (self.user_other_lycee, False)]:
            actives = Partner.with_user(user).search(
                [("bde_partner_status", "=", "active"), ("id", "=", self.shared.id)]
            )
            self.assertEqual(bool(actives), found, user.login)
            without_status = Partner.with_user(user).search(
                [("bde_partner_status", "=", False), ("id", "=", self.shared.id)]
            )
            self.assertNotEqual(bool(without_status), found, user.login)

    def test_status_written_from_lycee_2_is_lycee_2_s(self):
        self.shared.with_user(self.user_other_lycee).bde_partner_status = "prospect"
        self.assertEqual(self._status(self.shared, self.user_other_lycee), "prospect")
        self.assertEqual(self._status(self.shared, self.user_officer), "active")
        self.assertEqual(self.relation.status, "active")
        self.assertEqual(
            self._relations(self.shared).mapped("company_id"),
            self.lycee | self.other_lycee,
        )
        # Status of a company created or imported from lycée 2.
        created = (
            self.env["res.partner"]
            .with_user(self.user_other_lycee)
            .create({"name": "Nouvelle Test", "is_company": True})
        )
        created.bde_partner_status = "active"
        self.assertEqual(self._relations(created).company_id, self.other_lycee)
        self.assertFalse(self._status(created, self.user_officer))
        # Emptying it would lose the lycée's notes with the relation.
        with self.assertRaises(UserError):
            self.shared.with_user(self.user_officer).bde_partner_status = False
        self.assertEqual(self.relation.status, "active")

    def test_import_sets_the_importing_lycee_s_status(self):
        Partner = self.env["res.partner"].with_user(self.user_other_lycee)
        result = Partner.load(
            ["name", "is_company", "bde_partner_status"],
            [["Importée Test", "1", "Active partner"]],
        )
        self.assertFalse(result["messages"])
        imported = Partner.browse(result["ids"])
        self.assertEqual(imported.bde_partner_status, "active")
        self.assertEqual(self._relations(imported).company_id, self.other_lycee)
        self.assertFalse(self._status(imported, self.user_officer))

    def test_partners_mailing_list_follows_the_lycee_s_relation(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Jean Métallier",
                "email": "jean@metallerie-test.fr",
                "parent_id": self.shared.id,
            }
        )
        MailingList = self.env["mailing.list"]
        lists = {
            lycee: MailingList._bde_get_lycee_lists(lycee, ["partners"])
            for lycee in (self.lycee, self.other_lycee)
        }
        MailingList._bde_sync_mailing_lists()

        def subscribed(lycee):
            return (
                contact
                in lists[lycee]
                .subscription_ids.filtered(lambda sub: not sub.opt_out)
                .contact_id.bde_partner_id
            )

        self.assertTrue(subscribed(self.lycee))
        self.assertFalse(subscribed(self.other_lycee))
        # A change of the relation itself moves the contacts.
        self.Relation.create(
            {
                "partner_id": self.shared.id,
                "company_id": self.other_lycee.id,
                "status": "active",
            }
        )
        self.assertTrue(subscribed(self.other_lycee))
        self.relation.status = "former"
        self.assertFalse(subscribed(self.lycee))
        self.assertTrue(subscribed(self.other_lycee))

    def _figures(self, user):
        # The view's rows, read afresh.
        self.env.flush_all()
        self.env.invalidate_all()
        return (
            self.env["bde.lycee.report"]
            .with_user(user)
            .search([("is_current_school_year", "=", True)])
        )

    def test_figures_of_lycee_2_do_not_count_it(self):
        for user, counted in [
            (self.user_officer, True),
            (self.user_other_lycee, False),
        ]:
            row = self._figures(user)
            action = row.with_context(
                bde_figure="partner_active_count"
            ).action_open_figure()
            relations = self.env[action["res_model"]].search(action["domain"])
            self.assertEqual(self.shared in relations.partner_id, counted, user.login)
            self.assertEqual(row.partner_active_count, len(relations))
        before = self._figures(self.user_other_lycee).partner_active_count
        self.shared.with_user(self.user_other_lycee).bde_partner_status = "active"
        self.assertEqual(
            self._figures(self.user_other_lycee).partner_active_count, before + 1
        )

    def test_tax_campaign_of_lycee_2_does_not_solicit_it(self):
        Campaign = self.env["bde.tax.campaign"]
        campaigns = {}
        for user in (self.user_officer, self.user_other_lycee):
            campaign = Campaign.with_user(user).create({"year": 2026})
            campaign.action_add_targets()
            campaigns[user] = campaign
        self.assertIn(self.shared, campaigns[self.user_officer].pledge_ids.partner_id)
        self.assertNotIn(
            self.shared, campaigns[self.user_other_lycee].pledge_ids.partner_id
        )

    def test_won_lead_of_lycee_2_makes_it_lycee_2_s_partner(self):
        team = self.env.ref("bde_lycee.crm_team_bde")
        lead = (
            self.env["crm.lead"]
            .with_user(self.user_other_lycee)
            .create(
                {
                    "name": "Accueil de PFMP",
                    "type": "opportunity",
                    "team_id": team.id,
                    "partner_id": self.shared.id,
                    "company_id": self.other_lycee.id,
                }
            )
        )
        # Already lycée 1's partner, a prospect of lycée 2 all the same.
        self.assertEqual(self._status(self.shared, self.user_other_lycee), "prospect")
        lead.action_set_won()
        self.assertEqual(self._status(self.shared, self.user_other_lycee), "active")
        self.assertEqual(self._status(self.shared, self.user_officer), "active")
        self.assertEqual(len(self._relations(self.shared)), 2)

    def test_convention_sets_its_lycee_s_status(self):
        convention = self.env["bde.partnership.convention"].create(
            {
                "partner_id": self.shared.id,
                "company_id": self.other_lycee.id,
                "date_start": date(2025, 9, 1),
                "date_end": date(2028, 8, 31),
            }
        )
        convention.state = "active"
        self.assertEqual(self._status(self.shared, self.user_other_lycee), "active")
        convention.state = "terminated"
        self.assertEqual(self._status(self.shared, self.user_other_lycee), "former")
        # Lycée 1 has no convention with the company: its partnership stands.
        self.assertEqual(self._status(self.shared, self.user_officer), "active")

    def test_lycee_2_reads_nothing_of_lycee_1_s_relation(self):
        self.relation.message_post(
            body="Appel du gérant au sujet de Léa Martin.", message_type="comment"
        )
        Relation = self.Relation.with_user(self.user_other_lycee)
        self.assertFalse(Relation.search([("partner_id", "=", self.shared.id)]))
        self.assertFalse(
            self.shared.with_user(self.user_other_lycee).bde_partner_relation_ids
        )
        relation = self.relation.with_user(self.user_other_lycee)
        with self.assertRaises(AccessError):
            relation.read(["note"])
        with self.assertRaises(AccessError):
            relation.write({"status": "former"})
        with self.assertRaises(AccessError):
            relation.unlink()
        other_company = self.env["res.partner"].create(
            {"name": "Autre Test", "is_company": True}
        )
        with self.assertRaises(AccessError):
            Relation.create(
                {"partner_id": other_company.id, "company_id": self.lycee.id}
            )
        messages = (
            self.env["mail.message"]
            .with_user(self.user_other_lycee)
            .search(
                [("model", "=", self.Relation._name), ("res_id", "=", self.relation.id)]
            )
        )
        self.assertFalse(messages)
        # Lycée 1's teachers read it, without changing it.
        relation = self.relation.with_user(self.user_teacher)
        self.assertIn("Léa Martin", relation.note)
        with self.assertRaises(AccessError):
            relation.write({"status": "former"})

    def test_activity_on_the_shared_company_is_the_lycee_s(self):
        activity = self.shared.with_user(self.user_officer).activity_schedule(
            "mail.mail_activity_data_call",
            summary="Rappeler au sujet du stage de Léa Martin",
            user_id=self.user_officer.id,
        )
        self.assertEqual(activity.bde_company_id, self.lycee)
        Activity = self.env["mail.activity"]
        domain = [("res_model", "=", "res.partner"), ("res_id", "=", self.shared.id)]
        self.assertEqual(Activity.with_user(self.user_manager).search(domain), activity)
        self.assertFalse(Activity.with_user(self.user_other_lycee).search(domain))
        # Each user's request reads the company's activities afresh.
        for user, activities in [
            (self.user_other_lycee, Activity),
            (self.user_officer, activity),
        ]:
            self.env.invalidate_all()
            self.assertEqual(self.shared.with_user(user).activity_ids, activities)
        with self.assertRaises(AccessError):
            activity.with_user(self.user_other_lycee).read(["summary"])
        # The lycée is set by the server, never by the client.
        activity.with_user(self.user_officer).write(
            {"bde_company_id": self.other_lycee.id}
        )
        self.assertEqual(activity.bde_company_id, self.lycee)

    def test_group_and_sort_by_status(self):
        prospect = self.env["res.partner"].create(
            {"name": "Prospect Test Tri", "is_company": True}
        )
        self.Relation.create({"partner_id": prospect.id, "company_id": self.lycee.id})
        Partner = self.env["res.partner"].with_user(self.user_officer)
        domain = [("id", "in", (self.shared | prospect).ids)]
        groups = dict(Partner._read_group(domain, ["bde_partner_status"], ["__count"]))
        self.assertEqual(groups, {"active": 1, "prospect": 1})
        groups = dict(
            Partner.with_user(self.user_other_lycee)._read_group(
                domain, ["bde_partner_status"], ["__count"]
            )
        )
        self.assertEqual(groups, {False: 2})
        self.assertEqual(
            Partner.search(domain, order="bde_partner_status desc"),
            prospect | self.shared,
        )

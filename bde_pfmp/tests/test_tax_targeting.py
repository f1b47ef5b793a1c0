from odoo.tests import tagged

from .common import BdePfmpCase


@tagged("post_install", "-at_install", "bde_pfmp")
class TestTaxTargeting(BdePfmpCase):
    def test_recent_host_is_targeted(self):
        host = self.env["res.partner"].create({"name": "Hôte Test", "is_company": True})
        tutor = self.env["res.partner"].create({"name": "Tuteur", "parent_id": host.id})
        cancelled_host = self.env["res.partner"].create(
            {"name": "Hôte Annulé", "is_company": True}
        )
        self._make_placement(
            partner_id=host.id, tutor_id=tutor.id, state="done", days_done=5
        )
        self._make_placement(
            self.student_adult, partner_id=cancelled_host.id, state="cancelled"
        )
        campaign = self.env["bde.tax.campaign"].create(
            {"year": 2026, "company_id": self.lycee.id}
        )
        self.assertEqual(
            campaign._tax_host_school_years(), ["2023-2024", "2024-2025", "2025-2026"]
        )
        targets = campaign._get_target_partners()
        self.assertIn(host, targets)
        self.assertNotIn(cancelled_host, targets)
        campaign.action_add_targets()
        self.assertIn(host, campaign.pledge_ids.partner_id)

    def test_old_or_other_lycee_host_not_targeted(self):
        host = self.env["res.partner"].create({"name": "Hôte Test", "is_company": True})
        tutor = self.env["res.partner"].create({"name": "Tuteur", "parent_id": host.id})
        self._make_placement(
            partner_id=host.id, tutor_id=tutor.id, state="done", days_done=5
        )
        # 2025-2026 is more than three school years before the 2030 campaign.
        old_campaign = self.env["bde.tax.campaign"].create(
            {"year": 2030, "company_id": self.lycee.id}
        )
        self.assertNotIn(host, old_campaign._get_target_partners())
        other_campaign = self.env["bde.tax.campaign"].create(
            {"year": 2026, "company_id": self.other_lycee.id}
        )
        self.assertNotIn(host, other_campaign._get_target_partners())

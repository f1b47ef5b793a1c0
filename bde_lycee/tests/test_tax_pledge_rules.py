"""A tax pledge's state follows the money on the server too, whatever the way
in: received when an amount came in, thanked only once received. The BDE
manager of each of two lycées, on their own lycée's pledge."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import BdeLyceeCase


@tagged("post_install", "-at_install", "bde_lycee")
class TestTaxPledgeRules(BdeLyceeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pledges = {}
        for lycee, user in (
            (cls.lycee, cls.user_officer),
            (cls.other_lycee, cls.user_other_lycee),
        ):
            campaign = cls.env["bde.tax.campaign"].create(
                {
                    "year": 2026,
                    "date_start": "2026-03-01",
                    "date_end": "2026-10-15",
                    "company_id": lycee.id,
                }
            )
            cls.pledges[user] = cls.env["bde.tax.pledge"].create(
                {
                    "campaign_id": campaign.id,
                    "partner_id": cls.company_partner.id,
                    "amount_promised": 800,
                }
            )

    def test_received_only_with_an_amount(self):
        for user, pledge in self.pledges.items():
            as_user = pledge.with_user(user)
            self.assertEqual(pledge.state, "promised")
            with self.subTest(user=user.login), self.assertRaises(ValidationError):
                as_user.state = "received"
            with self.subTest(user=user.login), self.assertRaises(ValidationError):
                as_user.thanked = True
            as_user.amount_received = 750
            self.assertEqual(pledge.state, "received")
            with self.subTest(user=user.login), self.assertRaises(ValidationError):
                as_user.state = "declined"
            as_user.action_thank()
            self.assertTrue(pledge.thanked)

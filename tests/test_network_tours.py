"""The academic correspondent's network view in a real Chromium."""

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "bde_tour")
class TestNetworkTours(HttpCase):
    def test_correspondent_opens_the_network_view(self):
        # The demo's correspondent follows both demo lycées and works in the
        # first one: the switcher holds it alone when they log in.
        correspondent = self.env.ref("bde_lycee.user_bde_correspondent_demo")
        self.assertEqual(len(correspondent.company_ids), 2)
        self.assertTrue(correspondent._bde_is_network_reader_only())
        self.start_tour("/odoo", "bde_lycee_network_tour", login="marc.lefevre")

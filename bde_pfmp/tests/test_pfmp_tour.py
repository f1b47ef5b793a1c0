from odoo.tests import HttpCase, tagged

from .common import BdePfmpCase


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPfmpTour(HttpCase, BdePfmpCase):
    def test_placement_tour(self):
        placement = self._make_placement()
        self.start_tour(
            "/odoo/bde-pfmp-placements",
            "bde_pfmp_placement_tour",
            # The head of school: the lycée's signature date is theirs.
            login="bde_manager",
        )
        self.assertEqual(placement.state, "signed")
        self.assertEqual(placement.signature_progress, 100.0)

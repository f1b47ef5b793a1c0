from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .test_indicator import BdeAlumniIndicatorCase


@tagged("post_install", "-at_install", "bde_alumni", "multi_company")
class TestAlumniNetworkReader(BdeAlumniIndicatorCase):
    """The academic correspondent reads the insertion indicators of every
    lycée they follow, selected in the switcher or not, and no alumni."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.both = cls.lycee | cls.other_lycee
        cls.user_teacher.company_ids = cls.both

    def _as_web_client(self, user):
        """The environment of a user who ticked the test lycée only."""
        return self.env(user=user, context={"allowed_company_ids": self.lycee.ids})

    def test_reader_reads_no_alumni_of_any_lycee(self):
        alumni = self.alumni | self.other_alumni
        Partner = self.env(
            user=self.user_reader, context={"allowed_company_ids": self.both.ids}
        )["res.partner"]
        self.assertFalse(Partner.search([("id", "in", alumni.ids)]))
        self.assertFalse(Partner.search_count([("bde_is_alumni", "=", True)]))
        self.assertFalse(
            {pid for pid, _name in Partner.name_search("Alumni", limit=500)}
            & set(alumni.ids)
        )
        with self.assertRaises(AccessError):
            self.other_alumni.with_user(self.user_reader).read(["name"])
        # The BDE of the lycée reads its alumni.
        self.assertEqual(
            self.alumni.with_user(self.user_officer).read(["name"])[0]["name"],
            self.alumni.name,
        )

    def test_reader_indicators_span_all_their_lycees(self):
        self.env.flush_all()
        Indicator = self._as_web_client(self.user_reader)["bde.alumni.indicator"]
        self.assertEqual(set(Indicator.search([]).mapped("company_id")), set(self.both))
        # A lycée's staff read those of the lycées they ticked.
        Indicator = self._as_web_client(self.user_teacher)["bde.alumni.indicator"]
        self.assertEqual(Indicator.search([]).mapped("company_id"), self.lycee)
        # The export's lycées: all the reader's, by default.
        export = self._as_web_client(self.user_reader)[
            "bde.alumni.indicator.export"
        ].create({})
        self.assertEqual(export.company_ids, self.both)

    def test_reader_never_reads_a_lycee_they_do_not_follow(self):
        outsider = new_test_user(
            self.env,
            login="bde_outside_reader",
            groups="base.group_user,bde_lycee.group_bde_network_reader",
            company_id=self.other_lycee.id,
            company_ids=self.other_lycee.ids,
        )
        self.env.flush_all()
        Indicator = self.env["bde.alumni.indicator"].with_user(outsider)
        self.assertEqual(Indicator.search([]).mapped("company_id"), self.other_lycee)
        Export = self.env["bde.alumni.indicator.export"].with_user(outsider)
        with self.assertRaises(AccessError):
            Export.create({"company_ids": [(6, 0, self.lycee.ids)]})
        export = Export.create({})
        with self.assertRaises(AccessError):
            export.write({"company_ids": [(4, self.lycee.id)]})

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import BdePfmpCase

NOMINATIVE_FIELDS = ("placement_id", "student_id", "rater_partner_id", "comment")


@tagged("post_install", "-at_install", "bde_pfmp", "multi_company")
class TestPfmpNetworkReader(BdePfmpCase):
    """The academic correspondent reads the hosts' scores and the PFMP
    figures of every lycée they follow, never who rated or what was said of
    a student."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        placement = cls._make_placement(state="done", days_done=15)
        cls.rating = cls.env["bde.host.rating"].create(
            {
                "placement_id": placement.id,
                "rater_type": "student",
                "score": 2,
                "comment": "Léa was left alone at the till.",
            }
        )
        cls.both = cls.lycee | cls.other_lycee
        cls.user_network = new_test_user(
            cls.env,
            login="bde_pfmp_network",
            groups="base.group_user,bde_lycee.group_bde_network_reader",
            company_id=cls.lycee.id,
            company_ids=cls.both.ids,
        )

    def test_reader_reads_scores_not_student_or_comment(self):
        rating = self.rating.with_user(self.user_network)
        self.assertEqual(rating.read(["score", "partner_id"])[0]["score"], 2)
        for field in NOMINATIVE_FIELDS:
            with self.assertRaises(AccessError, msg=field):
                rating.read([field])
        Rating = self.env["bde.host.rating"].with_user(self.user_network)
        [[average]] = Rating._read_group(
            [("partner_id", "=", self.company_partner.id)], aggregates=["score:avg"]
        )
        self.assertEqual(average, 2)
        with self.assertRaises(AccessError):
            Rating._read_group([], ["rater_partner_id"], ["__count"])
        with self.assertRaises(AccessError):
            Rating.search([("comment", "ilike", "till")])
        # The form and the list the reader opens leave those fields out.
        arch = Rating.get_views([(False, "list"), (False, "form")])["views"]
        for view in arch.values():
            for field in NOMINATIVE_FIELDS:
                self.assertNotIn(f'name="{field}"', view["arch"])

    def test_head_of_school_reads_the_comment(self):
        rating = self.rating.with_user(self.user_manager)
        self.assertEqual(rating.comment, "Léa was left alone at the till.")
        self.assertEqual(rating.student_id, self.student)

    def test_reader_figures_count_every_lycee_they_follow(self):
        self._make_other_lycee_placement(state="searching")
        self.env.flush_all()
        year = [("school_year", "=", self.school_class.school_year)]
        # As the web client calls it: one lycée ticked in the switcher.
        Report = (
            self.env["bde.lycee.report"]
            .with_user(self.user_network)
            .with_context(allowed_company_ids=self.lycee.ids)
        )
        rows = {row.company_id: row for row in Report.search(year)}
        self.assertEqual(set(rows), set(self.both))
        self.assertEqual(rows[self.lycee].pfmp_rating_count, 1)
        self.assertAlmostEqual(rows[self.lycee].pfmp_rating_avg, 2.0)
        [total] = Report.read_group(year, ["pfmp_placement_count"], [])
        self.assertEqual(
            total["pfmp_placement_count"],
            self.env["bde.pfmp.placement"].search_count(
                [("company_id", "in", self.both.ids), ("state", "!=", "cancelled")]
                + year
            ),
        )
        self.assertEqual(total["pfmp_placement_count"], 2)
        teacher_rows = (
            self.env["bde.lycee.report"].with_user(self.user_teacher).search(year)
        )
        self.assertEqual(teacher_rows.company_id, self.lycee)

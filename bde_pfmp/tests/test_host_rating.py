from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import BdePfmpCase


@tagged("post_install", "-at_install", "bde_pfmp")
class TestHostRating(BdePfmpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.placement = cls._make_placement(state="done")
        cls.placement_adult = cls._make_placement(
            student=cls.student_adult, state="evaluated"
        )
        cls.Rating = cls.env["bde.host.rating"]

    def _rate(self, placement=None, rater_type="teacher", **vals):
        values = {
            "placement_id": (placement or self.placement).id,
            "rater_type": rater_type,
        }
        values.update(vals)
        return self.Rating.create(values)

    def test_score_is_rounded_mean_of_given_sub_scores(self):
        rating = self._rate(score_welcome=4, score_tutoring=3)
        self.assertEqual(rating.score, 4)  # 3.5 rounds half up
        self.assertEqual(rating.partner_id, self.company_partner)
        self.assertEqual(rating.company_id, self.lycee)
        self.assertEqual(rating.rater_partner_id, self.user_teacher.partner_id)
        rating.write({"score_match": 2, "score_safety": 2})
        self.assertEqual(rating.score, 3)  # 11 / 4 = 2.75
        # Without sub-scores the score is entered directly.
        direct = self._rate(rater_type="tutor", score=2)
        self.assertEqual(direct.score, 2)
        self.assertEqual(direct.rater_partner_id, self.tutor)

    def test_score_bounds(self):
        with self.assertRaises(ValidationError):
            self._rate()  # no score at all
        with self.assertRaises(ValidationError):
            self._rate(score=6)
        with self.assertRaises(ValidationError):
            self._rate(score_welcome=5, score_safety=7)
        with self.assertRaises(ValidationError):
            self._rate(score=3, score_match=-1)
        self.assertFalse(self.Rating.search([("placement_id", "=", self.placement.id)]))

    def test_one_rating_per_rater_type(self):
        self._rate(score=4)
        self._rate(rater_type="student", score=5)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self._rate(score=3)

    def test_only_ended_placements_are_rated(self):
        in_progress = self._make_placement(
            student=self.student_adult,
            period_id=False,
            class_id=self.school_class.id,
            date_start="2026-01-05",
            date_end="2026-01-30",
            state="in_progress",
        )
        with self.assertRaises(ValidationError):
            self._rate(placement=in_progress, score=4)
        interrupted = self._make_placement(
            student=self.student_adult,
            period_id=False,
            class_id=self.school_class.id,
            date_start="2026-02-02",
            date_end="2026-02-27",
            state="interrupted",
        )
        self.assertEqual(self._rate(placement=interrupted, score=1).score, 1)

    def test_partner_average_after_create_write_unlink(self):
        partner = self.company_partner
        self.assertEqual(partner.bde_host_rating_count, 0)
        self.assertEqual(partner.bde_host_rating_avg, 0.0)
        first = self._rate(score=4)
        second = self._rate(placement=self.placement_adult, score=3)
        self.assertEqual(partner.bde_host_rating_count, 2)
        self.assertEqual(partner.bde_host_rating_avg, 3.5)
        second.score = 2
        self.assertEqual(partner.bde_host_rating_avg, 3.0)
        first.unlink()
        self.assertEqual(partner.bde_host_rating_count, 1)
        self.assertEqual(partner.bde_host_rating_avg, 2.0)

    def test_average_counts_every_lycee_of_the_network(self):
        other_placement = self._make_other_lycee_placement(
            tutor_id=self.tutor.id, state="done"
        )
        self._rate(score=5)
        other_rating = self._rate(placement=other_placement, score=2)
        self.assertEqual(other_rating.company_id, self.other_lycee)
        # Each lycée reads its own ratings, the average counts both.
        partner = self.company_partner.with_user(self.user_officer)
        self.assertEqual(partner.bde_host_rating_count, 2)
        self.assertEqual(partner.bde_host_rating_avg, 3.5)
        self.assertEqual(
            self.Rating.with_user(self.user_officer).search(
                [("partner_id", "=", self.company_partner.id)]
            ),
            self.Rating.search(
                [
                    ("partner_id", "=", self.company_partner.id),
                    ("company_id", "=", self.lycee.id),
                ]
            ),
        )
        with self.assertRaises(AccessError):
            other_rating.with_user(self.user_officer).read(["score"])
        # A network reader of both lycées reads both ratings.
        network_reader = new_test_user(
            self.env,
            login="bde_network_reader",
            groups="base.group_user,bde_lycee.group_bde_network_reader",
            company_id=self.lycee.id,
            company_ids=[self.lycee.id, self.other_lycee.id],
        )
        self.assertEqual(
            len(
                self.Rating.with_user(network_reader)
                .with_context(allowed_company_ids=[self.lycee.id, self.other_lycee.id])
                .search([("partner_id", "=", self.company_partner.id)])
            ),
            2,
        )

    def test_evaluate_requires_a_rating(self):
        with self.assertRaises(UserError):
            self.placement.action_evaluate()
        self.assertEqual(self.placement.state, "done")
        action = self.placement.action_rate_host()
        self.assertEqual(action["res_model"], "bde.host.rating")
        self.assertEqual(action["context"]["default_placement_id"], self.placement.id)
        self.assertEqual(action["context"]["default_rater_type"], "teacher")
        self._rate(score=4)
        self.assertEqual(self.placement.rating_count, 1)
        self.assertEqual(
            self.placement.action_rate_host()["context"]["default_rater_type"],
            "student",
        )
        self.placement.action_evaluate()
        self.assertEqual(self.placement.state, "evaluated")

    def test_access_per_role(self):
        # The teacher rates the placements of their class.
        rating = self.Rating.with_user(self.user_teacher).create(
            {"placement_id": self.placement.id, "rater_type": "teacher", "score": 4}
        )
        self.assertEqual(rating.score, 4)
        with self.assertRaises(AccessError):
            rating.with_user(self.user_teacher).unlink()
        # Another teacher neither reads nor rates them.
        other_teacher = self._make_user("bde_teacher3", "bde_lycee.group_bde_user")
        self.assertFalse(self.Rating.with_user(other_teacher).search([]))
        with self.assertRaises(AccessError):
            self.Rating.with_user(other_teacher).create(
                {"placement_id": self.placement.id, "rater_type": "tutor", "score": 3}
            )
        # The network reader reads, never writes.
        self.assertEqual(self.Rating.with_user(self.user_reader).search([]), rating)
        with self.assertRaises(AccessError):
            rating.with_user(self.user_reader).write({"score": 1})
        # The officer of another lycée does not see it; the manager deletes.
        self.assertFalse(self.Rating.with_user(self.user_other_lycee).search([]))
        rating.with_user(self.user_manager).unlink()
        self.assertFalse(rating.exists())

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_round

# Placements whose host may be rated: the period took place.
RATED_STATES = {"done", "evaluated", "interrupted"}
SUB_SCORE_FIELDS = ["score_welcome", "score_tutoring", "score_match", "score_safety"]
MIN_SCORE = 1
MAX_SCORE = 5


class BdeHostRating(models.Model):
    """One evaluation of a host site after a placement, by the student, the
    referent teacher or the tutor. The ratings of a host, from every lycée of
    the network, make its average on the company."""

    _name = "bde.host.rating"
    _inherit = ["bde.pfmp.school.year.mixin"]
    _description = "Host site rating"
    _order = "date desc, id desc"
    _check_company_auto = True

    # The placement, its student, the rater and the comment name a student or
    # speak of one: the lycée's BDE roles only, never the network reader, who
    # reads the scores (groups of these fields).
    placement_id = fields.Many2one(
        "bde.pfmp.placement",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        groups="bde_lycee.group_bde_user",
        domain="[('state', 'in', ('done', 'evaluated', 'interrupted'))]",
    )
    partner_id = fields.Many2one(
        related="placement_id.partner_id", string="Host", store=True, index=True
    )
    company_id = fields.Many2one(
        related="placement_id.company_id",
        string="Lycée",
        store=True,
        precompute=True,
        index=True,
    )
    student_id = fields.Many2one(
        related="placement_id.student_id", groups="bde_lycee.group_bde_user"
    )
    class_id = fields.Many2one(related="placement_id.class_id", store=True)
    # The board and the lycée's figures count the ratings of one school year.
    school_year = fields.Char(
        related="placement_id.school_year", store=True, index=True
    )
    host_sector_id = fields.Many2one(
        "bde.sector",
        string="Host's sector",
        compute="_compute_host_sector_id",
        store=True,
        index=True,
        help="The host's first sector: each rating counts in one sector, so "
        "that the sectors' ratings add up to all the ratings.",
    )
    rater_type = fields.Selection(
        selection=[
            ("student", "Student"),
            ("teacher", "Referent teacher"),
            ("tutor", "Tutor"),
        ],
        string="Rated by",
        required=True,
        default="teacher",
    )
    rater_partner_id = fields.Many2one(
        "res.partner",
        string="Rater",
        compute="_compute_rater_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        groups="bde_lycee.group_bde_user",
        help="The person who gave the rating.",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)

    # Scores, 1 (poor) to 5 (excellent); a sub-score left at 0 is not given.
    score_welcome = fields.Integer(
        string="Welcome", help="Welcome and integration of the student in the team."
    )
    score_tutoring = fields.Integer(
        string="Tutoring", help="Availability and guidance of the tutor."
    )
    score_match = fields.Integer(
        string="Match with the diploma",
        help="Match between the tasks given and the diploma's referential.",
    )
    score_safety = fields.Integer(
        string="Safety", help="Safety conditions and protective equipment."
    )
    score = fields.Integer(
        compute="_compute_score",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        aggregator="avg",
        help="Overall score from 1 to 5: the rounded mean of the sub-scores "
        "given, or entered directly.",
    )
    comment = fields.Text(groups="bde_lycee.group_bde_user")

    _sql_constraints = [
        (
            "placement_rater_uniq",
            "UNIQUE (placement_id, rater_type)",
            "A placement's host is rated once by its student, once by its "
            "teacher and once by its tutor.",
        ),
    ]

    @api.depends("rater_type", "placement_id")
    def _compute_rater_partner_id(self):
        for rating in self:
            placement = rating.placement_id
            rating.rater_partner_id = {
                "student": placement.student_id,
                "teacher": placement.teacher_id.partner_id,
                "tutor": placement.tutor_id,
            }.get(rating.rater_type) or rating.rater_partner_id

    @api.depends("partner_id.bde_sector_ids")
    def _compute_host_sector_id(self):
        for rating in self:
            rating.host_sector_id = rating.partner_id.bde_sector_ids.sorted("id")[:1]

    @api.depends(*SUB_SCORE_FIELDS)
    def _compute_score(self):
        for rating in self:
            given = [rating[name] for name in SUB_SCORE_FIELDS if rating[name]]
            if given:
                mean = sum(given) / len(given)
                rating.score = int(float_round(mean, 0, rounding_method="HALF-UP"))
            else:
                rating.score = rating.score

    @api.depends("partner_id", "score", "rater_type")
    def _compute_display_name(self):
        raters = dict(self._fields["rater_type"]._description_selection(self.env))
        for rating in self:
            rating.display_name = self.env._(
                "%(host)s: %(score)s/5 (%(rater)s)",
                host=rating.partner_id.name or "",
                score=rating.score,
                rater=raters.get(rating.rater_type, ""),
            )

    @api.constrains("score", *SUB_SCORE_FIELDS)
    def _check_scores(self):
        for rating in self:
            if not MIN_SCORE <= rating.score <= MAX_SCORE:
                raise ValidationError(
                    self.env._(
                        "The score of a host must be between %(min)s and %(max)s "
                        "(given: %(score)s).",
                        min=MIN_SCORE,
                        max=MAX_SCORE,
                        score=rating.score,
                    )
                )
            for name in SUB_SCORE_FIELDS:
                if rating[name] and not MIN_SCORE <= rating[name] <= MAX_SCORE:
                    raise ValidationError(
                        self.env._(
                            "The score “%(criterion)s” must be between %(min)s and "
                            "%(max)s, or left empty (given: %(score)s).",
                            criterion=rating._fields[name]._description_string(
                                self.env
                            ),
                            min=MIN_SCORE,
                            max=MAX_SCORE,
                            score=rating[name],
                        )
                    )

    @api.constrains("placement_id")
    def _check_placement_ended(self):
        for rating in self:
            if rating.placement_id.state not in RATED_STATES:
                raise ValidationError(
                    self.env._(
                        "The host of %(student)s can be rated only once the "
                        "placement is done or interrupted.",
                        student=rating.placement_id.student_id.name,
                    )
                )

from odoo import api, fields, models
from odoo.exceptions import UserError

from .bde_pfmp_placement_portal import TUTOR_EVALUATION_STATES

PHASES = [("midterm", "Mid-term"), ("final", "Final")]


class BdePfmpEvaluation(models.Model):
    """The tutor's evaluation of a placement on the skills grid of the
    student's diploma, at mid-term and at the end. The answers are a
    ``survey.user_input`` of the grid, filled by the tutor through the survey's
    own pages, opened from the tutors' portal."""

    _name = "bde.pfmp.evaluation"
    _description = "PFMP skills evaluation"
    _order = "placement_id, phase desc"
    _check_company_auto = True

    placement_id = fields.Many2one(
        "bde.pfmp.placement",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        readonly=True,
    )
    company_id = fields.Many2one(
        related="placement_id.company_id",
        string="Lycée",
        store=True,
        precompute=True,
        index=True,
    )
    student_id = fields.Many2one(related="placement_id.student_id", store=True)
    class_id = fields.Many2one(related="placement_id.class_id", store=True)
    tutor_id = fields.Many2one(related="placement_id.tutor_id")
    phase = fields.Selection(PHASES, required=True, readonly=True)
    survey_id = fields.Many2one(
        "survey.survey",
        string="Skills grid",
        required=True,
        readonly=True,
        domain=[("survey_type", "=", "pfmp_grid")],
    )
    user_input_id = fields.Many2one(
        "survey.user_input",
        string="Answers",
        readonly=True,
        copy=False,
        ondelete="set null",
        groups="bde_lycee.group_bde_officer",
    )
    state = fields.Selection(
        [("todo", "To fill"), ("done", "Done")],
        default="todo",
        required=True,
        readonly=True,
        copy=False,
    )
    date = fields.Date(string="Filled on", readonly=True, copy=False)
    evaluated_by_id = fields.Many2one(
        "res.partner", string="Evaluated by", readonly=True, copy=False
    )
    result_html = fields.Html(
        string="Levels", compute="_compute_result_html", sanitize=False
    )

    _sql_constraints = [
        (
            "placement_phase_unique",
            "UNIQUE (placement_id, phase)",
            "A placement has one evaluation per phase.",
        ),
    ]

    @api.depends("phase", "placement_id")
    def _compute_display_name(self):
        phases = dict(self._fields["phase"]._description_selection(self.env))
        for evaluation in self:
            evaluation.display_name = self.env._(
                "%(phase)s evaluation – %(student)s",
                phase=phases.get(evaluation.phase, ""),
                student=evaluation.student_id.name or "",
            )

    @api.depends("state", "survey_id")
    def _compute_result_html(self):
        # The answers are read as superuser once the evaluation itself was
        # read under its rules: a teacher reads their students' results
        # without any right on the survey's answers.
        for evaluation in self:
            evaluation.result_html = self.env["ir.qweb"]._render(
                "bde_pfmp.pfmp_evaluation_grid_table",
                {"blocks": evaluation._bde_grid_blocks(), "phases": [evaluation]},
            )

    def _bde_grid_blocks(self):
        """The grid's blocks of skills with the level the answers of ``self``
        (evaluations of one placement) give each skill, in the grid's order:
        ``[{"title", "skills": [{"name", "levels": {evaluation id: level}}]}]``
        and the comments ``{evaluation id: [text]}``."""
        levels, comments = {}, {}
        for evaluation in self.sudo():
            for line in evaluation.user_input_id.user_input_line_ids:
                if line.matrix_row_id:
                    levels[evaluation.id, line.matrix_row_id.id] = (
                        line.suggested_answer_id.value
                    )
                elif line.answer_type == "text_box" and line.value_text_box:
                    comments.setdefault(evaluation.id, []).append(line.value_text_box)
        blocks = []
        for question in self.sudo().survey_id.question_ids:
            if question.question_type != "matrix":
                continue
            skills = [
                {
                    "name": row.value,
                    "levels": {
                        evaluation.id: levels.get((evaluation.id, row.id), "")
                        for evaluation in self
                    },
                }
                for row in question.matrix_row_ids
            ]
            blocks.append({"title": question.title, "skills": skills})
        return {"blocks": blocks, "comments": comments}

    # The tutor's answer
    def _bde_check_tutor(self, tutor):
        self.ensure_one()
        placement = self.placement_id
        if not tutor or tutor != placement.tutor_id:
            raise UserError(
                self.env._(
                    "Only the tutor of %(student)s, %(tutor)s, fills the evaluation.",
                    student=placement.student_id.name,
                    tutor=placement.tutor_id.name or "",
                )
            )
        if placement.state not in TUTOR_EVALUATION_STATES:
            raise UserError(
                self.env._(
                    "The placement of %(student)s has not started: it is "
                    "evaluated during the period.",
                    student=placement.student_id.name,
                )
            )

    def _bde_answer_for(self, tutor):
        """The tutor's answer to the grid, created on their first visit; a
        new tutor starts a new answer. Called as superuser by the tutors'
        portal once the caller is known to be ``tutor``."""
        self.ensure_one()
        self._bde_check_tutor(tutor)
        answer = self.user_input_id
        if answer and (answer.partner_id == tutor or answer.state == "done"):
            return answer
        answer = self.survey_id._create_answer(
            partner=tutor,
            check_attempts=False,
            bde_pfmp_placement_id=self.placement_id.id,
        )
        self.user_input_id = answer
        return answer

    def _bde_answer_open(self, answer):
        """Whether the tutor may still fill ``answer``: it is this
        evaluation's answer of the placement's current tutor, and the
        placement is being evaluated."""
        self.ensure_one()
        placement = self.placement_id
        return (
            answer == self.user_input_id
            and answer.partner_id == placement.tutor_id
            and placement.state in TUTOR_EVALUATION_STATES
            and not placement._tutor_link_expired()
        )

    def _bde_answer_done(self):
        """The tutor submitted the grid: the evaluation is done; the final
        one dates the tutor's evaluation of the placement."""
        today = fields.Date.context_today(self)
        phases = dict(self._fields["phase"]._description_selection(self.env))
        for evaluation in self.filtered(lambda evaluation: evaluation.state == "todo"):
            tutor = evaluation.user_input_id.partner_id
            evaluation.write(
                {"state": "done", "date": today, "evaluated_by_id": tutor.id}
            )
            placement = evaluation.placement_id
            if evaluation.phase == "final":
                placement._write_trusted({"tutor_evaluation_date": today})
            placement.message_post(
                body=self.env._(
                    "%(tutor)s filled the %(phase)s skills evaluation.",
                    tutor=tutor.name,
                    phase=phases[evaluation.phase].lower(),
                ),
                author_id=tutor.id,
            )

    def action_open_answers(self):
        """The tutor's answers in the survey app (the BDE team)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "survey.user_input",
            "res_id": self.user_input_id.id,
            "view_mode": "form",
        }

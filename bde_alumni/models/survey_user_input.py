from odoo import api, fields, models
from odoo.tools import escape_psql


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    bde_alumni_campaign_id = fields.Many2one(
        "bde.alumni.survey.campaign",
        string="Alumni follow-up campaign",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    bde_alumni_situation_id = fields.Many2one(
        "bde.alumni.situation",
        string="Alumni situation",
        readonly=True,
        help="Situation recorded from this answer.",
    )
    company_id = fields.Many2one(
        "res.company",
        string="Lycée",
        compute="_compute_company_id",
        store=True,
        index="btree_not_null",
        help="Lycée of the alumni follow-up campaign, or of the person who "
        "answered: only its users read the answers.",
    )

    @api.depends("bde_alumni_campaign_id.company_id", "partner_id.company_id")
    def _compute_company_id(self):
        for user_input in self:
            # An answer stays its lycée's when retention removes who gave it.
            user_input.company_id = (
                user_input.bde_alumni_campaign_id.company_id
                or user_input.partner_id.company_id
                or user_input.company_id
            )

    def _mark_done(self):
        res = super()._mark_done()
        self._bde_alumni_record_situation()
        return res

    def _bde_alumni_record_situation(self):
        """Turn the completed answers of a follow-up campaign into the alumni's
        situation, once. Runs as superuser: the alumni answers anonymously
        through their personal link."""
        inputs = self.sudo().filtered(
            lambda user_input: (
                user_input.bde_alumni_campaign_id
                and user_input.partner_id
                and not user_input.bde_alumni_situation_id
                and user_input.state == "done"
            )
        )
        for user_input in inputs:
            values, consents = user_input._bde_alumni_read_answers()
            situation = self.env["bde.alumni.situation"].sudo().create(values)
            user_input.bde_alumni_situation_id = situation
            if consents:
                user_input.partner_id._bde_alumni_give_consent(
                    network="network" in consents,
                    contact="contact" in consents,
                    source="survey",
                )

    def _bde_alumni_read_answers(self):
        """Return the situation values and the set of consents given."""
        self.ensure_one()
        values = {
            "partner_id": self.partner_id.id,
            "date": fields.Date.context_today(self, self.end_datetime),
            "months_after_exit": self.bde_alumni_campaign_id.months_after_exit,
            "source": "survey",
            "status": "unknown",
        }
        consents = set()
        for line in self.user_input_line_ids.filtered(lambda line: not line.skipped):
            target = line.question_id.bde_alumni_field
            if target == "consent":
                consents.add(line.suggested_answer_id.bde_alumni_value)
            elif target in ("status", "contract_type"):
                if line.suggested_answer_id.bde_alumni_value:
                    values[target] = line.suggested_answer_id.bde_alumni_value
            elif target and line.value_char_box:
                values[target] = line.value_char_box.strip()
        if values["status"] != "employed":
            # Hidden conditional questions may keep stale answers.
            for key in ("contract_type", "employer_name", "job_title"):
                values.pop(key, None)
        if values["status"] != "studies":
            values.pop("study_formation", None)
        if values.get("employer_name"):
            employer = self._bde_alumni_find_employer(values["employer_name"])
            if employer:
                values["employer_id"] = employer.id
        return values, consents

    def _bde_alumni_find_employer(self, name):
        """The company of the address book named exactly so (any case)."""
        return (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("is_company", "=", True),
                    ("name", "=ilike", escape_psql(name)),
                    ("company_id", "in", [False, self.partner_id.company_id.id]),
                ],
                order="id",
                limit=1,
            )
        )

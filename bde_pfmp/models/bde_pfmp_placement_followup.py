from odoo import api, fields, models


class BdePfmpPlacement(models.Model):
    _inherit = "bde.pfmp.placement"

    # Follow-up: visits, incidents and the host's ratings
    visit_ids = fields.One2many("bde.pfmp.visit", "placement_id", string="Visits")
    visit_count = fields.Integer(compute="_compute_visit_count")
    incident_ids = fields.One2many(
        "bde.pfmp.incident", "placement_id", string="Incidents"
    )
    incident_count = fields.Integer(
        string="Number of incidents", compute="_compute_incident_count"
    )
    rating_ids = fields.One2many(
        "bde.host.rating", "placement_id", string="Host ratings"
    )
    rating_count = fields.Integer(
        string="Number of ratings", compute="_compute_rating_count"
    )

    def _count_by_placement(self, model):
        """Number of ``model`` records per placement of ``self``, in one query."""
        return dict(
            self.env[model]._read_group(
                [("placement_id", "in", self.ids)], ["placement_id"], ["__count"]
            )
        )

    @api.depends("visit_ids")
    def _compute_visit_count(self):
        counts = self._count_by_placement("bde.pfmp.visit")
        for placement in self:
            placement.visit_count = counts.get(placement, 0)

    @api.depends("incident_ids")
    def _compute_incident_count(self):
        counts = self._count_by_placement("bde.pfmp.incident")
        for placement in self:
            placement.incident_count = counts.get(placement, 0)

    @api.depends("rating_ids")
    def _compute_rating_count(self):
        counts = self._count_by_placement("bde.host.rating")
        for placement in self:
            placement.rating_count = counts.get(placement, 0)

    def action_view_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_pfmp.bde_pfmp_visit_action"
        )
        action["domain"] = [("placement_id", "=", self.id)]
        action["context"] = {
            "default_placement_id": self.id,
            "default_user_id": self.teacher_id.id or self.env.uid,
        }
        return action

    def action_view_incidents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_pfmp.bde_pfmp_incident_action"
        )
        action["domain"] = [("placement_id", "=", self.id)]
        action["context"] = {"default_placement_id": self.id}
        return action

    def action_view_ratings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_pfmp.bde_host_rating_action"
        )
        action["domain"] = [("placement_id", "=", self.id)]
        action["context"] = {"default_placement_id": self.id}
        return action

    def action_rate_host(self):
        """Open a new rating of the host in a dialog, by the referent teacher
        unless the teacher already rated it."""
        self.ensure_one()
        rater_type = "teacher"
        if "teacher" in self.rating_ids.mapped("rater_type"):
            rater_type = "student"
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Rate the host"),
            "res_model": "bde.host.rating",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_placement_id": self.id,
                "default_rater_type": rater_type,
            },
        }

    # Follow-up reminders
    @api.model
    def _cron_remind_missing_visits(self):
        """A placement in progress past its middle with no visit or call gets
        one reminder activity for its referent teacher."""
        activity_type = self.env.ref("bde_pfmp.mail_activity_type_pfmp_visit")
        placements = self.search(self._get_missing_visit_domain())
        reminded = placements.activity_ids.filtered(
            lambda activity: activity.activity_type_id == activity_type
        ).mapped("res_id")
        for placement in placements.filtered(lambda p: p.id not in reminded):
            placement.activity_schedule(
                "bde_pfmp.mail_activity_type_pfmp_visit",
                user_id=placement.teacher_id.id,
                note=self.env._(
                    "The placement of %(student)s at %(host)s has passed its "
                    "middle without a visit or a call.",
                    student=placement.student_id.name,
                    host=placement.partner_id.name,
                ),
            )

    def _get_missing_visit_domain(self):
        return [
            ("state", "=", "in_progress"),
            ("date_middle", "<", fields.Date.context_today(self)),
            ("visit_ids", "=", False),
            ("teacher_id", "!=", False),
        ]

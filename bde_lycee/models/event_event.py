from odoo import api, fields, models


class EventEvent(models.Model):
    _inherit = "event.event"

    bde_is_bde_event = fields.Boolean(
        related="event_type_id.bde_is_bde_type", string="BDE event", store=True
    )
    bde_participation_ids = fields.One2many(
        "bde.event.participation", "event_id", string="Partners taking part"
    )
    bde_participation_count = fields.Integer(
        string="Partners", compute="_compute_bde_participation_count"
    )

    @api.depends("bde_participation_ids")
    def _compute_bde_participation_count(self):
        counts = dict(
            self.env["bde.event.participation"]._read_group(
                [("event_id", "in", self.ids), ("state", "!=", "cancelled")],
                ["event_id"],
                ["__count"],
            )
        )
        for event in self:
            event.bde_participation_count = counts.get(event._origin, 0)

    def action_bde_invite_partners(self):
        """Prepare, without sending it, a mass mailing inviting the BDE's
        partners to the event; the officer reviews it before sending."""
        self.ensure_one()
        mailing = self.env["mailing.mailing"].create(
            self._prepare_bde_invitation_values()
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invitation"),
            "res_model": "mailing.mailing",
            "res_id": mailing.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def _prepare_bde_invitation_values(self):
        self.ensure_one()
        mailing_lists = self._get_bde_invitation_lists()
        body = self.env["ir.qweb"]._render(
            "bde_lycee.event_invitation_mailing_body",
            {"event": self, "event_url": self._get_bde_public_url()},
        )
        return {
            "subject": self.env._("Invitation: %(event)s", event=self.name),
            "mailing_model_id": self.env["ir.model"]._get_id("mailing.list"),
            "contact_list_ids": [fields.Command.set(mailing_lists.ids)],
            "company_id": (self.company_id or self.env.company).id,
            "body_arch": body,
            "body_html": body,
        }

    def _get_bde_invitation_lists(self):
        """The lists the event type invites, a synced list standing for the
        list of the same kind of the event's lycée: a lycée invites its own
        partners, tutors or alumni, never another lycée's."""
        self.ensure_one()
        # As superuser: the type's synced lists may be another lycée's.
        type_lists = self.event_type_id.sudo().bde_invitation_list_ids
        if not type_lists:
            type_lists = self.env.ref("bde_lycee.mailing_list_bde_partners").sudo()
        sync_rules = set(type_lists.mapped("bde_sync_rule")) - {False}
        lycee = self.company_id or self.env.company
        lycee_lists = self.env["mailing.list"]._bde_get_lycee_lists(lycee, sync_rules)
        return (
            type_lists.filtered(lambda lst: not lst.bde_sync_rule).with_env(self.env)
            | lycee_lists
        )

    def _get_bde_public_url(self):
        """Absolute address of the event page: a mail is read outside Odoo."""
        self.ensure_one()
        return f"{self.get_base_url()}{self.website_url}"

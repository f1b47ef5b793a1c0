from odoo import api, fields, models
from odoo.exceptions import ValidationError


class BdeEventParticipation(models.Model):
    """A partner company taking part in a BDE event: a stand at the job forum,
    a speaker in a class, a jury member at the diploma ceremony, a sponsor."""

    _name = "bde.event.participation"
    _description = "Partner taking part in an event"
    _order = "event_id, role, partner_id, id"
    _check_company_auto = True

    event_id = fields.Many2one(
        "event.event", string="Event", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="event_id.company_id", string="Lycée", store=True, index=True
    )
    date_begin = fields.Datetime(related="event_id.date_begin", string="Event date")
    partner_id = fields.Many2one(
        "res.partner",
        string="Company",
        required=True,
        index=True,
        domain=[("is_company", "=", True)],
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact",
        domain="[('parent_id', '=', partner_id), ('is_company', '=', False)]",
        help="Person of the company who comes to the event.",
    )
    role = fields.Selection(
        selection=[
            ("stand", "Stand / exhibitor"),
            ("speaker", "Speaker"),
            ("jury", "Jury member"),
            ("sponsor", "Sponsor"),
            ("visitor", "Visitor"),
        ],
        required=True,
        default="stand",
    )
    state = fields.Selection(
        selection=[
            ("invited", "Invited"),
            ("confirmed", "Confirmed"),
            ("attended", "Attended"),
            ("cancelled", "Cancelled"),
        ],
        string="Status",
        required=True,
        default="invited",
    )
    note = fields.Text()

    _sql_constraints = [
        (
            "event_partner_contact_role_uniq",
            "unique (event_id, partner_id, contact_id, role)",
            "This partner already takes part in the event with this contact and role.",
        ),
    ]

    @api.constrains("event_id", "partner_id", "contact_id", "role")
    def _check_unique_without_contact(self):
        """The SQL constraint treats empty contacts as all different: check the
        participations without contact here."""
        without_contact = self.filtered(lambda p: not p.contact_id)
        if not without_contact:
            return
        groups = self._read_group(
            [
                ("event_id", "in", without_contact.event_id.ids),
                ("partner_id", "in", without_contact.partner_id.ids),
                ("contact_id", "=", False),
            ],
            ["event_id", "partner_id", "role"],
            having=[("__count", ">", 1)],
        )
        if groups:
            event, partner, _role = groups[0]
            raise ValidationError(
                self.env._(
                    "%(partner)s already takes part in %(event)s with this role.",
                    partner=partner.display_name,
                    event=event.display_name,
                )
            )

    @api.constrains("partner_id", "contact_id")
    def _check_contact_of_partner(self):
        for participation in self.filtered("contact_id"):
            if (
                participation.contact_id.commercial_partner_id
                != participation.partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(contact)s is not a contact of %(partner)s.",
                        contact=participation.contact_id.display_name,
                        partner=participation.partner_id.display_name,
                    )
                )

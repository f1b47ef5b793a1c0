from odoo import api, fields, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    bde_company_id = fields.Many2one(
        "res.company",
        string="Lycée of the note",
        index="btree_not_null",
        readonly=True,
        help="Lycée of the user who wrote this note or message on a company "
        "shared by the lycées of the database: only that lycée's users read it. "
        "Empty for messages every lycée reads (system messages, changes of "
        "shared fields).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals["bde_company_id"] = self._bde_get_note_company(vals).id
        messages = super().create(vals_list)
        # The files sent with a lycée's note are that lycée's too.
        for message in messages.filtered("bde_company_id"):
            message.attachment_ids.sudo().write(
                {"bde_company_id": message.bde_company_id.id}
            )
        return messages

    def write(self, vals):
        # The lycée follows from how the message was written, never from a
        # value sent by a client.
        if not self.env.su:
            vals.pop("bde_company_id", None)
        return super().write(vals)

    @api.model
    def _bde_get_note_company(self, vals):
        """The lycée a new message belongs to: the author's current lycée when
        a user writes on a shared partner (a note naming a student is that
        lycée's business), the lycée of the message it answers, else none."""
        if vals.get("parent_id"):
            parent = self.sudo().browse(vals["parent_id"])
            if parent.bde_company_id:
                return parent.bde_company_id
        user = self.env.user
        if (
            vals.get("model") != "res.partner"
            or not vals.get("res_id")
            or not self._bde_is_written_by_user(vals)
            or not user._is_internal()
            or user._is_superuser()
        ):
            return self.env["res.company"]
        partner = self.env["res.partner"].sudo().browse(vals["res_id"]).exists()
        if not partner or partner.company_id:
            # A lycée's own partner is already hidden from the other lycées.
            return self.env["res.company"]
        return self.env.company

    @api.model
    def _bde_is_written_by_user(self, vals):
        """Whether the message holds what a user wrote: a note, a message, or
        the feedback of an activity marked as done; not tracking values nor
        other system messages."""
        message_type = vals.get("message_type", "comment")
        if message_type == "comment":
            return True
        activities = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_activities")
        return message_type == "notification" and vals.get("subtype_id") == activities

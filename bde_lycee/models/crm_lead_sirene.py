import re

from stdnum.fr import siret as stdnum_siret

from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmLead(models.Model):
    """A prospect's company from the SIRENE directory: looked up from its
    SIRET or its name, and never created twice for one SIRET."""

    _inherit = "crm.lead"

    bde_siret = fields.Char(
        string="SIRET",
        help="SIRET of the prospect's establishment: the directory fills the "
        "company from it and a company already known is linked, not created "
        "again.",
    )

    def _bde_known_company(self):
        return self.env["res.partner"]._bde_find_by_siret(self.bde_siret)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._bde_normalize_siret(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._bde_normalize_siret(vals)
        return super().write(vals)

    @api.model
    def _bde_normalize_siret(self, vals):
        # As typed or pasted: "812 345 676 00017".
        if vals.get("bde_siret"):
            vals["bde_siret"] = re.sub(r"\s", "", vals["bde_siret"])

    def action_bde_sirene_lookup(self):
        """Fill the lead from the directory, by its SIRET or else by the
        company's name; a company already known is linked instead."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        company = self.partner_id.commercial_partner_id
        siret = self.bde_siret or (company and company._get_siret())
        if siret:
            if not stdnum_siret.is_valid(siret):
                raise UserError(self.env._("The SIRET %s is not valid.", siret))
            raw = Partner._bde_sirene_lookup(siret)
        elif self.partner_name:
            answer = Partner._opendatasoft_get_raw_data(
                self.partner_name, raise_if_fail=True, rows=1
            )
            raw = answer.get("records") and answer["records"][0].get("fields")
        else:
            raise UserError(
                self.env._("Type the company's SIRET or name to look it up.")
            )
        if not raw:
            raise UserError(
                self.env._("The SIRENE directory knows no such establishment.")
            )
        self._bde_apply_sirene(raw)
        return True

    def _bde_apply_sirene(self, raw):
        """Link the known company of the directory's SIRET, or copy the
        directory's name and address onto the lead."""
        self.bde_siret = raw["siret"]
        known = self._bde_known_company()
        if known:
            self.partner_id = known
            return
        values = self.env["res.partner"]._bde_sirene_company_values(raw)
        self.write(
            {
                "partner_name": values["name"],
                "street": values.get("street"),
                "zip": values.get("zip"),
                "city": values.get("city"),
                "country_id": values.get("country_id"),
            }
        )

    def _find_matching_partner(self, email_only=False):
        # The SIRET names the company surely, before e-mails and names.
        if not self.partner_id and self.bde_siret:
            known = self._bde_known_company()
            if known:
                return known
        return super()._find_matching_partner(email_only=email_only)

    def _create_customer(self):
        known = self._bde_known_company() if self.bde_siret else False
        if not known:
            return super()._create_customer()
        if self.contact_name:
            return self.env["res.partner"].create(
                self._prepare_customer_values(
                    self.contact_name, is_company=False, parent_id=known.id
                )
            )
        return known

    def _prepare_customer_values(self, partner_name, is_company=False, parent_id=False):
        values = super()._prepare_customer_values(
            partner_name, is_company=is_company, parent_id=parent_id
        )
        if is_company and self.bde_siret:
            values["siret"] = self.bde_siret
        return values

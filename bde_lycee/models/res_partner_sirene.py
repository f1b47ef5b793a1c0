import logging
from collections import defaultdict

from stdnum.fr import siret as stdnum_siret

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..sirene_client import SireneClient

_logger = logging.getLogger(__name__)

# The directory answers OR-ed queries: one request checks this many SIRETs.
SIRENE_BATCH = 20
# A refresh is a user's action: it checks this many companies at most, so
# that it ends within a request's time.
SIRENE_REFRESH_MAX = 200
SIRENE_CLOSED = "Fermé"
SIRET_INDEX = "res_partner_bde_siret_uniq"


class ResPartner(models.Model):
    """Companies from the SIRENE directory: OCA's lookup goes through the
    suite's client, a SIRET belongs to one active company, and an
    establishment closed in the directory is flagged."""

    _inherit = "res.partner"

    bde_sirene_closed = fields.Boolean(
        string="Closed in SIRENE",
        index=True,
        copy=False,
        help="The SIRENE directory lists this establishment as closed: it is "
        "left out of the campaigns and of the host directory.",
    )
    bde_sirene_closed_date = fields.Date(
        string="Closed on",
        copy=False,
        help="Closing date of the establishment in the SIRENE directory.",
    )
    bde_sirene_checked_on = fields.Date(
        string="Checked in SIRENE on",
        copy=False,
        help="Last time the SIRENE directory was asked about this SIRET.",
    )

    def init(self):
        super().init()
        cr = self.env.cr
        cr.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [SIRET_INDEX])
        if cr.fetchone():
            return
        # Two active companies with one SIRET would split their history; a
        # contact inherits its company's NIC, so only top-level partners count.
        # The suite did not refuse duplicates before: they are the BDE's to
        # merge, the index waits for them (the constraint guards meanwhile).
        cr.execute(
            """
            SELECT siren || nic, array_agg(id ORDER BY id) FROM res_partner
             WHERE active AND parent_id IS NULL AND nic IS NOT NULL
             GROUP BY siren, nic HAVING count(*) > 1
            """
        )
        duplicates = cr.fetchall()
        if duplicates:
            _logger.warning(
                "Companies sharing a SIRET, to merge before it is unique: %s",
                duplicates,
            )
            return
        cr.execute(
            f"""
            CREATE UNIQUE INDEX {SIRET_INDEX} ON res_partner (siren, nic)
             WHERE active AND parent_id IS NULL AND nic IS NOT NULL
            """
        )

    @api.constrains("siren", "nic", "active", "parent_id")
    def _check_bde_siret_unique(self):
        for partner in self.filtered(lambda p: p.active and p.nic and not p.parent_id):
            # In SQL without flushing this partner's new SIRET: the unique
            # index would refuse it first, with a message for no one.
            self.env.cr.execute(
                """
                SELECT name FROM res_partner
                 WHERE siren = %s AND nic = %s AND id != %s
                   AND active AND parent_id IS NULL
                 LIMIT 1
                """,
                [partner.siren, partner.nic, partner.id],
            )
            other = self.env.cr.fetchone()
            if other:
                raise ValidationError(
                    self.env._(
                        "The SIRET %(siret)s is already the one of %(company)s: "
                        "open that company instead of creating another one.",
                        siret=partner.siren + partner.nic,
                        company=other[0],
                    )
                )

    @api.onchange("siret")
    def _onchange_bde_siret_known(self):
        # Told while typing, before the save that the constraint refuses.
        known = self._bde_find_by_siret(self.siret) if not self.parent_id else False
        if known and known != self._origin:
            return {
                "warning": {
                    "title": self.env._("Company already known"),
                    "message": self.env._(
                        "The SIRET %(siret)s is the one of %(company)s: open it "
                        "instead of creating another company.",
                        siret=self.siret,
                        company=known.display_name,
                    ),
                }
            }

    def _bde_mailing_sync_fields(self):
        return super()._bde_mailing_sync_fields() | {"bde_sirene_closed"}

    @api.model
    def _bde_find_by_siret(self, siret):
        """The active top-level company with this SIRET, whoever may read it
        (a company is shared by the lycées); empty when unknown."""
        siret = (siret or "").replace(" ", "")
        if len(siret) != 14:
            return self.browse()
        return (
            self.sudo()
            .search(
                [
                    ("siren", "=", siret[:9]),
                    ("nic", "=", siret[9:]),
                    ("parent_id", "=", False),
                ],
                limit=1,
            )
            .sudo(self.env.su)
        )

    # The directory

    @api.model
    def _opendatasoft_get_raw_data(
        self, query, raise_if_fail=False, exclude_dead=False, rows=10
    ):
        """OCA's query, sent through the suite's client: its URL is a system
        parameter and a directory that does not answer is named to the user."""
        params = {
            "q": query,
            "rows": rows,
            "fields": ",".join(self._opendatasoft_fields_list()),
        }
        if exclude_dead:
            params["q"] += (
                " AND #null(datefermetureetablissement)"
                " AND #null(datefermetureunitelegale)"
            )
        try:
            return SireneClient(self.env).search(params)
        except UserError:
            if raise_if_fail:
                raise
            # OCA's onchanges fill a form silently when they can.
            _logger.warning("SIRENE lookup of %r failed", query)
            return False

    @api.model
    def _bde_sirene_records(self, sirets):
        """The directory's fields per SIRET, in one request per batch; a
        SIRET the directory does not know is absent."""
        records = {}
        for start in range(0, len(sirets), SIRENE_BATCH):
            batch = sirets[start : start + SIRENE_BATCH]
            query = " OR ".join(f"siret:{siret}" for siret in batch)
            answer = self._opendatasoft_get_raw_data(
                query, raise_if_fail=True, rows=len(batch)
            )
            for record in answer.get("records", []):
                fields_ = record.get("fields") or {}
                if fields_.get("siret") in batch:
                    records[fields_["siret"]] = fields_
        return records

    @api.model
    def _bde_sirene_lookup(self, siret):
        """The directory's fields of one valid SIRET, or False."""
        if not stdnum_siret.is_valid(siret or ""):
            return False
        return self._bde_sirene_records([siret]).get(siret, False)

    @api.model
    def _bde_sirene_state_values(self, raw):
        """The closed flag from the directory's fields of an establishment.
        A closing date alone does not close it: the directory keeps old dates
        on open establishments (see OCA's _opendatasoft_get_raw_data)."""
        closed = raw.get("etatadministratifetablissement") == SIRENE_CLOSED
        return {
            "bde_sirene_closed": closed,
            "bde_sirene_closed_date": closed
            and raw.get("datefermetureetablissement")
            or False,
            "bde_sirene_checked_on": fields.Date.context_today(self),
        }

    @api.model
    def _bde_sirene_company_values(self, raw):
        """A company's values from the directory's fields: OCA's parsing,
        without the VAT it leaves empty when VIES is not asked."""
        values = self._opendatasoft_parse_record(raw)
        if not values.get("vat"):
            values.pop("vat", None)
            values.pop("vies_valid", None)
        values.pop("siren", None)
        values.pop("nic", None)
        return {
            **values,
            "siret": raw["siret"],
            "is_company": True,
            **self._bde_sirene_state_values(raw),
        }

    def _bde_set_siret_from_directory(self, siret):
        """Give this company ``siret`` (valid), with the directory's data for
        its empty address fields and the establishment's state. Returns the
        other company that already has this SIRET, and then writes nothing;
        a directory that does not answer raises before anything is written."""
        self.ensure_one()
        known = self._bde_find_by_siret(siret)
        if known and known != self:
            return known
        values = {"siret": siret}
        raw = self._bde_sirene_lookup(siret)
        if raw:
            directory = self._bde_sirene_company_values(raw)
            values.update(
                (name, directory[name])
                for name in ("street", "zip", "city", "country_id")
                if directory.get(name) and not self[name]
            )
            values.update(self._bde_sirene_state_values(raw))
        self.write(values)
        return self.browse()

    def action_bde_sirene_refresh(self):
        """Ask the directory whether these companies' establishments are
        still open, and flag those it lists as closed."""
        partners = self.filtered(lambda p: p.siren and p.nic and not p.parent_id)
        if len(partners) > SIRENE_REFRESH_MAX:
            raise UserError(
                self.env._(
                    "Check at most %(max)s companies at a time in the SIRENE "
                    "directory (%(count)s selected).",
                    max=SIRENE_REFRESH_MAX,
                    count=len(partners),
                )
            )
        records = self._bde_sirene_records(partners.mapped("siret"))
        # One write per distinct state (open, closed on a date), not per
        # company: the mailing lists follow in one sync each.
        by_state = defaultdict(lambda: self.browse())
        for partner in partners.filtered(lambda p: p.siret in records):
            state = self._bde_sirene_state_values(records[partner.siret])
            by_state[tuple(state.items())] |= partner
        for state, group in by_state.items():
            group.write(dict(state))
        closed = len(partners.filtered("bde_sirene_closed"))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "%(found)s of %(count)s companies found in the SIRENE "
                    "directory, %(closed)s of them closed.",
                    found=len(records),
                    count=len(partners),
                    closed=closed,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_bde_open(self):
        """The company's form, where the user goes instead of a duplicate."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

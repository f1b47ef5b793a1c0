from collections import defaultdict

from odoo import models
from odoo.tools import SQL


class BdeNetworkExport(models.TransientModel):
    """The network's spreadsheet with the PFMP figures: the placements of
    each lycée's formations, and the rates and averages the views leave
    empty (no placement, no rating, an insertion rate not published) left
    empty rather than written as 0."""

    _inherit = "bde.network.export"

    def _lycee_sheet(self, rows):
        headers, lines = super()._lycee_sheet(rows)
        self._blank_empty_figures("bde.lycee.report", rows, lines, offset=3)
        return headers, lines

    def _network_sheet(self):
        headers, lines = super()._network_sheet()
        rows = self.env["bde.network.report"].search(
            [("school_year", "=", self.school_year)]
        )
        self._blank_empty_figures("bde.network.report", rows, lines, offset=5)
        return headers, lines

    def _blank_empty_figures(self, model, rows, lines, offset):
        """Empty the cells of the figures that are NULL in the view (the
        ORM reads them as 0): ``lines`` are the sheet's rows of ``rows``, in
        their order, their figures from column ``offset`` on."""
        figures = self._figure_fields(model)
        floats = [field for field in figures if field.type == "float"]
        if not rows or not floats:
            return
        self.env.cr.execute(
            SQL(
                "SELECT id, %s FROM %s WHERE id IN %s",
                SQL(", ").join(SQL.identifier(field.name) for field in floats),
                SQL.identifier(self.env[model]._table),
                tuple(rows.ids),
            )
        )
        empty = {
            row_id: {
                field.name
                for field, value in zip(floats, values, strict=True)
                if value is None
            }
            for row_id, *values in self.env.cr.fetchall()
        }
        columns = {field.name: offset + index for index, field in enumerate(figures)}
        for row, line in zip(rows, lines, strict=True):
            for name in empty.get(row.id, ()):
                line[columns[name]] = ""

    def _formation_columns(self, classes):
        placements = defaultdict(int)
        signed = defaultdict(int)
        for school_class, signature_state, count in (
            self.env["bde.pfmp.placement"]
            .sudo()
            ._read_group(
                [("class_id", "in", classes.ids), ("state", "!=", "cancelled")],
                ["class_id", "signature_state"],
                ["__count"],
            )
        ):
            key = (school_class.company_id.id, school_class.formation_id.id)
            placements[key] += count
            if signature_state in ("signed", "paper"):
                signed[key] += count
        return super()._formation_columns(classes) + [
            (self.env._("Placements"), placements),
            (self.env._("Placements fully signed"), signed),
        ]

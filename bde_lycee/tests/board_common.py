from datetime import timedelta

from odoo.tests import new_test_user

from odoo.addons.bde_lycee.school_year import (
    lycee_today,
    school_year_bounds,
    school_year_of,
)

from .common import BdeLyceeCase


class BdeBoardCase(BdeLyceeCase):
    """Two lycées with, in the current school year and the one before, leads,
    tax campaigns, conventions and events whose figures are computed by hand
    in each test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = lycee_today()
        cls.school_year = school_year_of(today)
        cls.year_start, _end = school_year_bounds(cls.school_year)
        cls.last_school_year = school_year_of(cls.year_start - timedelta(days=1))
        cls.today = today
        cls.user_network = new_test_user(
            cls.env,
            login="bde_board_network_reader",
            groups="base.group_user,bde_lycee.group_bde_network_reader",
            company_id=cls.lycee.id,
            company_ids=[cls.lycee.id, cls.other_lycee.id],
        )
        cls.formations = cls.env["bde.formation"].create(
            [{"name": f"Formation board {i}", "level": "cap"} for i in range(1, 4)]
        )

    def _read_group_total_and_rows(self, model, domain, groupby, measures):
        """The pivot's total (no group) and the sum of its rows, per measure."""
        aggregates = [f"{measure}:sum" for measure in measures]
        [total] = model._read_group(domain, aggregates=aggregates)
        rows = model._read_group(domain, [groupby], aggregates)
        sums = [sum(row[i + 1] or 0 for row in rows) for i in range(len(measures))]
        return list(total), sums

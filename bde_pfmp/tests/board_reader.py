import datetime

from lxml import etree

from odoo.tools.safe_eval import safe_eval

BOARD_VIEW = "bde_pfmp.bde_pfmp_dashboard_board_view_form"
# The titles of the board's charts.
LYCEE_FIGURES = "Lycées' figures"
STATE_CHART = "Placements by class and state"
SIGNATURE_CHART = "Signature progress"
VISIT_CHART = "Visits of the placements in progress"
LATE_CHART = "Visits late by referent teacher"
RATING_CHART = "Host ratings by sector"
ALLOWANCE_CHART = "Allowances by class and month"
AT_RISK_CHART = "Students at risk by class"
PFMP_CHARTS = (
    AT_RISK_CHART,
    STATE_CHART,
    SIGNATURE_CHART,
    VISIT_CHART,
    LATE_CHART,
    RATING_CHART,
    ALLOWANCE_CHART,
)


class BoardChartReader:
    """Reads a chart of the PFMP board as the web client does: the board's
    <action> with its domain and context, the filters its context selects in
    the action's search view, the graph's group-bys and measure; the rows
    and the total (the pivot's) through read_group, as a given user."""

    def _board_actions(self, user):
        """The board's <action> nodes as ``user`` gets them, by title."""
        Board = self.env["board.board"].with_user(user)
        view_id = self.env.ref(BOARD_VIEW).id
        arch = etree.fromstring(Board.get_view(view_id, "form")["arch"])
        return {node.get("string"): node for node in arch.iter("action")}

    def _eval(self, expression, default="{}"):
        return safe_eval(
            expression or default,
            {"context_today": datetime.date.today, "uid": self.env.uid},
        )

    def _chart(self, user, title, lycees=None):
        """{group key: measure} of the chart ``title`` of the board, and the
        measure of the whole (the pivot's total), read as ``user`` with
        ``lycees`` ticked in the company switcher (by default, all theirs)."""
        node = self._board_actions(user)[title]
        action = self.env["ir.actions.act_window"].browse(int(node.get("name")))
        context = self._eval(node.get("context"))
        Model = self.env[action.res_model].with_user(user)
        if lycees:
            Model = Model.with_context(allowed_company_ids=lycees.ids)
        views = Model.get_views([(False, "search"), *self._views(action)])["views"]
        domain = self._eval(node.get("domain"), "[]") + self._search_defaults(
            views["search"]["arch"], context
        )
        groupby, measure = self._graph_spec(Model, views["graph"]["arch"])
        groupby = context.get("graph_groupbys", groupby)
        rows = Model.read_group(domain, [measure], groupby, lazy=False)
        key = "__count" if measure == "__count" else measure.split(":")[0]
        figures = {
            tuple(self._label(row[name]) for name in groupby): row[key] for row in rows
        }
        [total] = Model.read_group(domain, [measure], [], lazy=False)
        return figures, total[key]

    def _views(self, action):
        return [(view.view_id.id, view.view_mode) for view in action.view_ids]

    def _search_defaults(self, arch, context):
        """The domain of the filters the context's search_default_ keys select."""
        domain = []
        for node in etree.fromstring(arch).iter("filter"):
            if context.get(f"search_default_{node.get('name')}") and node.get("domain"):
                domain += self._eval(node.get("domain"), "[]")
        return domain

    def _graph_spec(self, Model, arch):
        """The graph's group-bys and its measure with the field's aggregator."""
        groupby, measure = [], "__count"
        for node in etree.fromstring(arch).iter("field"):
            name = node.get("name")
            if node.get("type") == "measure":
                measure = f"{name}:{Model._fields[name].aggregator}"
            elif node.get("interval"):
                groupby.append(f"{name}:{node.get('interval')}")
            else:
                groupby.append(name)
        return groupby, measure

    def _label(self, value):
        """A many2one group by its id, a selection or a month by its value."""
        return value[0] if isinstance(value, tuple) else value

from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from lxml import etree

from odoo.tests import tagged
from odoo.tools import safe_eval

from .common import BdeLyceeCase


@tagged("post_install", "-at_install", "bde_lycee")
@freeze_time("2026-11-24 10:00:00")
class TestDashboardLists(BdeLyceeCase):
    """Two figures of the former transient dashboard are lists rather than
    columns of the lycées' figures, which count a school year: the
    conventions to renew (in force, ending within 90 days) and the upcoming
    events. Their filters give the records the dashboard counted."""

    def _filter(self, model, name, search_view=None):
        """The records of the user's lycée that the search view's filter
        ``name`` keeps, its domain evaluated as the web client does."""
        Model = self.env[model].with_user(self.user_officer)
        view_id = self.env.ref(search_view).id if search_view else False
        arch = Model.get_views([(view_id, "search")])["views"]["search"]["arch"]
        node = etree.fromstring(arch).find(f".//filter[@name='{name}']")
        domain = safe_eval.safe_eval(
            node.get("domain"),
            {
                "context_today": date.today,
                "relativedelta": relativedelta,
                "datetime": safe_eval.datetime,
                "uid": self.user_officer.id,
            },
        )
        return Model.search(domain)

    def test_conventions_to_renew(self):
        Convention = self.env["bde.partnership.convention"]
        conventions = {}
        for key, lycee, state, end in [
            ("soon", self.lycee, "active", date(2027, 1, 15)),
            ("day_90", self.lycee, "active", date(2027, 2, 22)),
            ("later", self.lycee, "active", date(2027, 6, 30)),
            ("draft", self.lycee, "draft", date(2027, 1, 15)),
            ("other", self.other_lycee, "active", date(2027, 1, 15)),
        ]:
            conventions[key] = Convention.create(
                {
                    "partner_id": self.company_partner.id,
                    "company_id": lycee.id,
                    "state": state,
                    "date_start": date(2024, 9, 1),
                    "date_end": end,
                }
            )
        self.assertEqual(
            self._filter("bde.partnership.convention", "filter_ending_soon"),
            conventions["soon"] | conventions["day_90"],
        )

    def test_upcoming_events(self):
        forum = self.env.ref("bde_lycee.event_type_job_forum")
        events = self.env["event.event"].create(
            [
                {
                    "name": name,
                    "event_type_id": forum.id,
                    "date_begin": begin,
                    "date_end": begin.replace(hour=18),
                    "company_id": self.lycee.id,
                }
                for name, begin in [
                    ("Forum à venir", datetime(2027, 2, 11, 8)),
                    ("Forum en cours", datetime(2026, 11, 24, 8)),
                    ("Forum passé", datetime(2026, 10, 16, 8)),
                ]
            ]
        )
        action = self.env.ref("bde_lycee.event_event_action_bde")
        upcoming = self._filter("event.event", "upcoming").filtered_domain(
            safe_eval.safe_eval(action.domain)
        )
        self.assertEqual(upcoming & events, events[:2])

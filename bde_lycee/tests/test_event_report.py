from datetime import datetime, time, timedelta

from odoo import fields

from .board_common import BdeBoardCase


class TestEventReport(BdeBoardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.forum = cls.env.ref("bde_lycee.event_type_job_forum")
        now = fields.Datetime.now()
        # Held: started this school year and over, whatever today is.
        begin = max(datetime.combine(cls.year_start, time()), now - timedelta(hours=2))
        end = begin + (now - begin) / 2
        last_year = datetime.combine(cls.year_start, time()) - timedelta(days=20)
        Event = cls.env["event.event"]

        def event(name, lycee, date_begin, date_end):
            return Event.create(
                {
                    "name": name,
                    "event_type_id": cls.forum.id,
                    "company_id": lycee.id,
                    "date_begin": date_begin,
                    "date_end": date_end,
                }
            )

        cls.event = event("Board forum", cls.lycee, begin, end)
        cls.last_year_event = event(
            "Board forum last year",
            cls.lycee,
            last_year,
            last_year + timedelta(hours=3),
        )
        cls.other_event = event("Board forum other", cls.other_lycee, begin, end)
        Registration = cls.env["event.registration"]
        for ev, states in (
            (cls.event, ["done", "done", "open", "cancel"]),
            (cls.last_year_event, ["done"]),
            (cls.other_event, ["done"]),
        ):
            Registration.create(
                [
                    {"event_id": ev.id, "name": f"Visitor {i}", "state": state}
                    for i, state in enumerate(states)
                ]
            )
        companies = cls.env["res.partner"].create(
            [{"name": f"Event board {i}", "is_company": True} for i in range(2)]
        )
        cls.env["bde.event.participation"].create(
            [
                {
                    "event_id": cls.event.id,
                    "partner_id": companies[0].id,
                    "state": "attended",
                },
                {
                    "event_id": cls.event.id,
                    "partner_id": companies[1].id,
                    "state": "confirmed",
                },
            ]
        )
        cls.Report = cls.env["bde.event.report"].with_user(cls.user_officer)
        cls.measures = [
            "event_count",
            "partner_count",
            "registration_count",
            "attendance",
        ]

    def test_attendance_by_type_in_the_school_year(self):
        groups = self.Report._read_group(
            [("is_current_school_year", "=", True), ("is_held", "=", True)],
            ["event_type_id"],
            [f"{measure}:sum" for measure in self.measures],
        )
        # One forum, one partner who came, 3 registrations, 2 attended.
        self.assertEqual(groups, [(self.forum, 1, 1, 3, 2)])

    def test_last_school_year_counted_there(self):
        rows = self.Report.search([("school_year", "=", self.last_school_year)])
        self.assertEqual(rows.event_id, self.last_year_event)
        self.assertEqual(rows.attendance, 1)

    def test_total_is_sum_of_rows(self):
        for groupby in ("event_type_id", "school_year", "company_id"):
            with self.subTest(groupby=groupby):
                total, sums = self._read_group_total_and_rows(
                    self.Report, [], groupby, self.measures
                )
                self.assertEqual(total, sums)

    def test_other_lycee_never_seen(self):
        self.assertNotIn(self.other_event, self.Report.search([]).event_id)
        reader = self.env["bde.event.report"].with_user(self.user_network)
        self.assertIn(self.other_event, reader.search([]).event_id)

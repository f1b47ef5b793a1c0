from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# A counter is needed while its window can still be counted: the longest is
# a form token's lifetime (a day); a second day leaves room for clocks.
COUNTER_RETENTION_DAYS = 2


class BdeFormCounter(models.Model):
    """How many times the public forms of the BDE were sent, per key and
    window of time: a form token's nonce (sent once), a visitor's network
    address or an e-mail address (a few times an hour). Keys are keyed hashes,
    never the address itself, and counters live two days at most."""

    _name = "bde.form.counter"
    _description = "Public form counter"
    _order = "window_start desc, id desc"

    key = fields.Char(required=True, readonly=True)
    window_start = fields.Datetime(required=True, readonly=True)
    count = fields.Integer(readonly=True)

    _sql_constraints = [
        (
            "key_window_uniq",
            "unique (key, window_start)",
            "A public form counter is counted once per key and window.",
        ),
    ]

    @api.model
    def _increment(self, key, window_start):
        """Count one more sending for ``key`` in the window starting at
        ``window_start``; returns the new count, this sending included.

        One row per key and window, updated in place: two requests counting
        the same key at the same time conflict on that row, and Odoo replays
        the later one, which then reads the count of the earlier one. A count
        of separate rows would let parallel requests all pass the limit."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO bde_form_counter
                    (key, window_start, count, create_uid, create_date,
                     write_uid, write_date)
                VALUES (%(key)s, %(window)s, 1, %(uid)s, %(now)s, %(uid)s, %(now)s)
                ON CONFLICT (key, window_start)
                DO UPDATE SET count = bde_form_counter.count + 1,
                              write_date = EXCLUDED.write_date
                RETURNING count
                """,
                key=key,
                window=window_start,
                uid=self.env.uid,
                now=fields.Datetime.now(),
            ),
            # The conflict above is expected under a flood and replayed: not
            # a "bad query" for the logs.
            log_exceptions=False,
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _cron_purge(self):
        limit = fields.Datetime.now() - timedelta(days=COUNTER_RETENTION_DAYS)
        self.search([("window_start", "<", limit)]).unlink()

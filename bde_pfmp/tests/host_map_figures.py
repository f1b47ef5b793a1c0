"""Benchmark of the map of hosts and offers and of the distances computed
(not a test: it prints figures and asserts no time), run by
bench_host_directory on its network (20 lycées, 500 hosts around Lyon, 2,000
offers of the current school year, 1,800 placements; ``BDE_BENCH_HOST_SCALE``
multiplies them), built once for both in the test transaction and rolled
back.

- Opening a map: the ``search_read`` of OCA's map view (its renderer reads
  80 records with the fields of the arch, ``display_name`` and
  ``date_localization``) with the action's domain, beside the
  ``search_read`` of the same rows' stored columns.
- The geocoding moves 100 hosts: their new positions written one host at a
  time as the cron does, the distances of their placements and offers
  recomputed at the flush, beside two SQL statements doing the same (the
  positions from a VALUES list, then the distances by haversine_km_sql).

Median of 3 runs, cache emptied before each.
"""

from odoo.tools import SQL

from ..geo import haversine_km_sql

MAP_LIMIT = 80
MOVED_HOSTS = 100
RENDERER_FIELDS = ["id", "display_name", "date_localization"]
HOST_MAP_FIELDS = ["partner_latitude", "partner_longitude"]
HOST_MAP_FIELDS += ["bde_map_title", "bde_map_popup"]
OFFER_MAP_FIELDS = ["latitude", "longitude", "map_title", "map_popup"]


class HostMapBenchmarkMixin:
    """The map's figures, on the data of the host directory's benchmark
    (its ORIGIN, LYCEES and HOSTS given by the class as ``origin``,
    ``lycee_count`` and ``host_count``)."""

    def _open_map(self, label, model, user, lycees, domain, fields, stored):
        records = self._partners(user, lycees).env[model]
        rows, seconds, queries = self._measure(
            lambda: records.search_read(
                domain, RENDERER_FIELDS + fields, limit=MAP_LIMIT
            )
        )
        ids = [row["id"] for row in rows]
        _rows, bound, bound_queries = self._measure(
            lambda: records.search_read([("id", "in", ids)], stored)
        )
        return f"{label} ({len(ids)} pins)", seconds, bound, queries, bound_queries

    def _move_hosts(self):
        """New positions for MOVED_HOSTS hosts: (partner, latitude, longitude)."""
        return [
            (
                host,
                self.origin[0] + self.random.uniform(-1, 1) * 0.4,
                self.origin[1] + self.random.uniform(-1, 1) * 0.4,
            )
            for host in self.random.sample(list(self.hosts), MOVED_HOSTS)
        ]

    def _write_moves(self):
        for host, latitude, longitude in self._move_hosts():
            host.write({"partner_latitude": latitude, "partner_longitude": longitude})
        self.env.flush_all()

    def _sql_moves(self):
        moves = self._move_hosts()
        values = SQL(", ").join(
            SQL("(%s, %s::numeric, %s::numeric)", host.id, lat, lon)
            for host, lat, lon in moves
        )
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner p SET partner_latitude = m.lat, "
                "partner_longitude = m.lon FROM (VALUES %s) m(id, lat, lon) "
                "WHERE p.id = m.id",
                values,
            )
        )
        moved = [host.id for host, _lat, _lon in moves]
        for table in ("bde_pfmp_placement", "bde_pfmp_host_offer"):
            self._sql_distances(table, "distance_lycee_km", "c.partner_id", moved)
        self._sql_distances(
            "bde_pfmp_placement", "distance_home_km", "t.student_id", moved
        )

    def _sql_distances(self, table, column, origin_id, moved):
        """One UPDATE of ``column`` of ``table`` for the rows at the moved
        hosts, from the partner ``origin_id`` (an SQL expression)."""
        distance = haversine_km_sql(
            SQL("origin.partner_latitude"),
            SQL("origin.partner_longitude"),
            SQL("host.partner_latitude"),
            SQL("host.partner_longitude"),
        )
        self.env.cr.execute(
            SQL(
                "UPDATE %s t SET %s = ROUND((%s)::numeric, 1) "
                "FROM res_partner host, res_company c, res_partner origin "
                "WHERE host.id = t.partner_id AND c.id = t.company_id "
                "AND origin.id = %s AND t.partner_id = ANY(%s)",
                SQL.identifier(table),
                SQL.identifier(column),
                distance,
                SQL(origin_id),
                moved,
            )
        )

    def _moves(self):
        placements = self.env["bde.pfmp.placement"].search_count(
            [("partner_id", "in", self.hosts.ids)]
        )
        _result, seconds, queries = self._measure(self._write_moves)
        _result, bound, bound_queries = self._measure(self._sql_moves)
        label = f"{MOVED_HOSTS} hosts moved, distances recomputed"
        return label, seconds, bound, queries, bound_queries, placements

    def test_bench_host_map(self):
        first = self.lycees[:1]
        directory_domain = self._directory_domain([])
        offers_domain = [("is_current_school_year", "=", True)]
        stored_hosts = ["name", "city", *HOST_MAP_FIELDS[:2]]
        stored_offers = ["partner_id", "site_id", "places", "distance_lycee_km"]
        figures = [
            self._open_map(
                "host map, teacher of one lycée",
                "res.partner",
                self.teacher,
                first,
                directory_domain,
                HOST_MAP_FIELDS,
                stored_hosts,
            ),
            self._open_map(
                "host map, manager of 20 lycées",
                "res.partner",
                self.manager,
                self.lycees,
                directory_domain,
                HOST_MAP_FIELDS,
                stored_hosts,
            ),
            self._open_map(
                "offer map, teacher of one lycée",
                "bde.pfmp.host.offer",
                self.teacher,
                first,
                offers_domain,
                OFFER_MAP_FIELDS,
                stored_offers,
            ),
            self._open_map(
                "offer map, manager of 20 lycées",
                "bde.pfmp.host.offer",
                self.manager,
                self.lycees,
                offers_domain,
                OFFER_MAP_FIELDS,
                stored_offers,
            ),
        ]
        *moves, placements = self._moves()
        figures.append(tuple(moves))
        lines = [
            f"data: {self.lycee_count} lycées, {self.host_count} hosts, "
            f"{self.offer_count} offers, {self.placement_count} placements "
            f"({placements} at a host), built in {self.setup_time:.1f} s",
            "map: search_read of the map view vs search_read of the same rows' "
            "stored columns; moves: ORM writes and flush vs 4 SQL UPDATEs; "
            "median of 3",
            f"{'operation':<52}{'seconds':>9}{'bound':>9}{'ratio':>7}"
            f"{'queries':>9}{'bound q':>9}",
        ]
        lines += [
            f"{label:<52}{seconds:>9.4f}{bound:>9.4f}{seconds / bound:>7.1f}"
            f"{queries:>9}{bound_queries:>9}"
            for label, seconds, bound, queries, bound_queries in figures
        ]
        # A benchmark prints its figures: pytest shows them under "benchmark figures".
        print("\n".join(lines))

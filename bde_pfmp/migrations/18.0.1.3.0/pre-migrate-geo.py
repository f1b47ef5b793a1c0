"""The partners' coordinates move to base_geolocalize's partner_latitude and
partner_longitude (one pair of fields for the whole suite, the one that the
maps read). The positions typed before are copied, dated of the migration so
that the geocoding cron keeps them, then the suite's old columns are
dropped. The views stored in the database name the new fields before the
module's views load: the first one loaded is checked against the others,
still stored with the old names."""

from odoo.tools import sql


def migrate(cr, version):
    if not version or not sql.column_exists(cr, "res_partner", "bde_latitude"):
        return
    cr.execute(
        """
        UPDATE res_partner
           SET partner_latitude = bde_latitude,
               partner_longitude = bde_longitude,
               date_localization = CURRENT_DATE
         WHERE COALESCE(bde_latitude, 0) != 0 OR COALESCE(bde_longitude, 0) != 0
        """
    )
    for old, new in (
        ("bde_latitude", "partner_latitude"),
        ("bde_longitude", "partner_longitude"),
    ):
        cr.execute(
            """
            UPDATE ir_ui_view SET arch_db = replace(arch_db::text, %s, %s)::jsonb
             WHERE arch_db::text LIKE %s
            """,
            (old, new, f"%{old}%"),
        )
    cr.execute("ALTER TABLE res_partner DROP COLUMN bde_latitude")
    cr.execute("ALTER TABLE res_partner DROP COLUMN bde_longitude")

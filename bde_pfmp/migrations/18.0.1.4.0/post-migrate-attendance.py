def migrate(cr, version):
    """Days done typed before the day-by-day attendance existed are the
    staff's figures: flag them so that the schedule does not replace them
    (the tutor's confirmed ones stay the tutor's)."""
    cr.execute(
        """
        UPDATE bde_pfmp_placement
           SET days_done_by_staff = TRUE
         WHERE days_done > 0
           AND attendance_confirmed_date IS NULL
        """
    )

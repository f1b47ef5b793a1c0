def migrate(cr, version):
    """Until 18.0.2.0.0 a company's partnership status was one column for the
    whole database: every lycée saw the same. Each lycée keeps the status it
    saw, now in its own partnership record, and may change it on its own."""
    cr.execute(
        """
        SELECT 1 FROM information_schema.columns
         WHERE table_name = 'res_partner' AND column_name = 'bde_partner_status'
        """
    )
    if not cr.fetchone():
        return
    cr.execute(
        """
        INSERT INTO bde_partner_relation (
            partner_id, company_id, status, date_status,
            create_uid, write_uid, create_date, write_date
        )
        SELECT partner.id, company.id, partner.bde_partner_status, CURRENT_DATE,
               1, 1, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
          FROM res_partner partner
          JOIN res_company company
            ON partner.company_id IS NULL OR partner.company_id = company.id
         WHERE partner.bde_partner_status IS NOT NULL
        ON CONFLICT (company_id, partner_id) DO NOTHING
        """
    )

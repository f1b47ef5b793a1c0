"""The suite's SIRET gives way to OCA's l10n_fr_siret, where the SIRET is
computed from the SIREN (9 digits) and the NIC (5 digits).

l10n_fr_siret's install hook splits the SIRETs of top-level partners only: a
site (a partner with a parent) keeps its SIRET in the column with no SIREN nor
NIC, and would lose its NIC at the next recomputation. Every SIRET still
without its SIREN is split here, in SQL, so that no SIRET is lost. The
companies of l10n_fr_siret's demo data get the BDE's default partner type."""


def split_sirets(cr):
    """Fill SIREN and NIC from the SIRET column where they are missing."""
    cr.execute(
        r"""
        UPDATE res_partner
           SET siren = substr(siret, 1, 9),
               nic = substr(siret, 10, 5)
         WHERE siret ~ '^\d{14}$'
           AND siren IS NULL
        """
    )
    return cr.rowcount


def type_new_companies(cr):
    """Companies that the OCA modules installed with this version brought
    (their demo data) get the default type, as when bde_lycee added it."""
    cr.execute(
        """
        UPDATE res_partner
           SET bde_partner_type = 'company'
         WHERE is_company AND bde_partner_type IS NULL
        """
    )


def migrate(cr, version):
    if not version:
        return
    split_sirets(cr)
    type_new_companies(cr)

"""The suite's SIRET gives way to OCA's l10n_fr_siret, where the SIRET is
computed from the SIREN (9 digits) and the NIC (5 digits).

l10n_fr_siret's install hook splits the SIRETs of top-level partners only: a
site (a partner with a parent) keeps its SIRET in the column with no SIREN nor
NIC, and would lose its NIC at the next recomputation. Every SIRET still
without its SIREN is split here, in SQL, so that no SIRET is lost."""


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


def migrate(cr, version):
    if not version:
        return
    split_sirets(cr)

"""Every user-facing term of the BDE modules has its French translation.

The terms are the ones Odoo itself exports for the module (field labels and
help, selections, views, menus, data records, ``_()`` strings in Python and
JavaScript), read by Odoo's ``TranslationModuleReader``; the translations are
the module's ``i18n/fr.po``."""

from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

ROOT = Path(__file__).resolve().parent.parent


@tagged("post_install", "-at_install", "bde_i18n")
class TestFrenchTranslations(TransactionCase):
    def _installed_bde_modules(self):
        modules = self.env["ir.module.module"].search(
            [("name", "like", "bde_%"), ("state", "=", "installed")]
        )
        return modules.mapped("name")

    def test_every_term_is_translated(self):
        modules = self._installed_bde_modules()
        self.assertIn("bde_lycee", modules)
        for module in modules:
            with self.subTest(module=module):
                po_path = ROOT / module / "i18n" / "fr.po"
                self.assertTrue(po_path.exists(), f"{po_path} is missing")
                translated = {
                    entry.msgid
                    for entry in polib.pofile(str(po_path))
                    if entry.msgstr
                    and not entry.obsolete
                    and "fuzzy" not in entry.flags
                }
                reader = TranslationModuleReader(self.env.cr, modules=[module])
                terms = {row[4] for row in reader if row[0] == module}
                missing = sorted(terms - translated)
                self.assertFalse(
                    missing,
                    f"{len(missing)} of {len(terms)} terms of {module} have no French "
                    f"translation in {po_path.relative_to(ROOT)}, e.g. {missing[:10]}",
                )

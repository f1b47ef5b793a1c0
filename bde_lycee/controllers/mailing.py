from odoo.addons.mass_mailing.controllers.main import MassMailController


class BdeMassMailController(MassMailController):
    def _prepare_mailing_subscription_values(
        self, mailing, document_id, email, hash_token
    ):
        """The subscription page of a lycée's mailing offers the public lists
        of that lycée and the shared ones, never another lycée's (whose
        contacts it could not hold)."""
        values = super()._prepare_mailing_subscription_values(
            mailing, document_id, email, hash_token
        )
        if mailing:
            values["lists_public"] = values["lists_public"].filtered(
                lambda mailing_list: (
                    not mailing_list.company_id
                    or mailing_list.company_id == mailing.company_id
                )
            )
        return values

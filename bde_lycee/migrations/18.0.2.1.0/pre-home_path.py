"""The URL path "bde-dashboard" moves from the server action of the former
transient dashboard, removed with it, to the BDE's home action (the board for
the lycée's staff, the network's figures for the academic correspondent). A
path is unique across every kind of action and the home action is created
before the former one is deleted: the path is freed here, so that old links
and bookmarks open the home action."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE ir_act_server
           SET path = NULL
         WHERE id IN (SELECT res_id FROM ir_model_data
                       WHERE module = 'bde_lycee'
                         AND name = 'bde_dashboard_action')
        """
    )

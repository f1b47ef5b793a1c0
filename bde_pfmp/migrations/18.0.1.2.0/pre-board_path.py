"""The URL path "bde-pfmp-dashboard" moves from the server action of the
former PFMP dashboard to the PFMP board's window action. A path is unique
across every kind of action, and the board's action is created before the
server action's row is written: the path is freed here, so that old links and
bookmarks open the board."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "UPDATE ir_act_server SET path = NULL WHERE path = %s",
        ["bde-pfmp-dashboard"],
    )

{
    "name": "Bureau des entreprises – PFMP",
    "summary": "Work placements (PFMP) of a lycée professionnel: periods, "
    "placements, minors' rules, referent teachers' visits and allowances",
    "version": "18.0.1.0.0",
    "category": "Education",
    "website": "https://github.com/bde-suite/bde-suite",
    "author": "BDE suite developers",
    "license": "AGPL-3",
    "depends": ["bde_lycee"],
    "data": [
        "security/ir.model.access.csv",
        "security/bde_pfmp_security.xml",
        "data/mail_activity_type_data.xml",
        "data/bde_allowance_rate_data.xml",
        "data/ir_cron_data.xml",
        "report/bde_pfmp_placement_reports.xml",
        "report/bde_pfmp_placement_templates.xml",
        "report/bde_pfmp_attestation_templates.xml",
        "views/bde_pfmp_period_views.xml",
        "views/bde_pfmp_placement_views.xml",
        "views/bde_pfmp_visit_views.xml",
        "views/bde_allowance_rate_views.xml",
        "views/bde_class_views.xml",
        "views/res_partner_views.xml",
        "wizard/bde_pfmp_placement_stop_views.xml",
        "views/bde_pfmp_menus.xml",
    ],
    "demo": [
        "demo/bde_pfmp_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "bde_pfmp/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}

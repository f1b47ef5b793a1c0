import { registry } from "@web/core/registry";

// The BDE manager opens the alumni dashboard from its URL: every chart and
// list of the board is drawn, with the lycée's follow-up campaign.
registry.category("web_tour.tours").add("bde_alumni_dashboard_tour", {
    steps: () => [
        {
            trigger:
                ".o-dashboard-action:contains(Insertion 6 months after exit) .o_graph_renderer canvas",
            content: "Insertion rates by formation, stacked by outcome",
        },
        {
            trigger:
                ".o-dashboard-action:contains(Insertion at each point) .o_graph_renderer canvas",
            content: "Insertion rates at 6, 12, 18 and 24 months",
        },
        {
            trigger:
                ".o-dashboard-action:contains(Situations by status) .o_graph_renderer canvas",
            content: "Situations by status and months after exit",
        },
        {
            trigger: ".o-dashboard-action:contains(Alumni who became tutors) .o_list_renderer",
            content: "Alumni who tutor PFMP students",
        },
        {
            trigger:
                ".o-dashboard-action:contains(Follow-up campaigns) .o_data_row:contains(Cohort 2025) td[name=name]",
            content: "The follow-up campaign and its answers",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status:contains(Draft)",
            content: "A row opens the campaign behind it",
        },
    ],
});

// The academic correspondent opens the same dashboard: the insertion charts of
// their lycées, nothing that names an alumni.
registry.category("web_tour.tours").add("bde_alumni_dashboard_reader_tour", {
    steps: () => [
        {
            trigger:
                ".o-dashboard-action:contains(Insertion 6 months after exit) .o_graph_renderer canvas",
            content: "Insertion rates by formation, published cohorts",
        },
        {
            trigger:
                ".o-dashboard-action:contains(Insertion at each point) .o_graph_renderer canvas",
            content: "Insertion rates point by point",
        },
        {
            trigger: ".o_dashboard:not(:has(.o-dashboard-action:contains(Situations)))",
            content: "No situation, campaign or alumni list",
        },
    ],
});

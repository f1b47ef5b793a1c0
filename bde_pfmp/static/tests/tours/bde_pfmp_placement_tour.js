import { registry } from "@web/core/registry";

// The BDE manager opens a placement from the kanban of the placements, sends
// its convention to sign, then finds the student flagged as a minor.
registry.category("web_tour.tours").add("bde_pfmp_placement_tour", {
    url: "/odoo/bde-pfmp-placements",
    steps: () => [
        {
            trigger: ".o_kanban_record:contains(Léa Martin)",
            content: "Open the placement",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name=action_to_sign]",
            content: "Send the convention to sign",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Convention to sign)",
            content: "The placement waits for the signatures",
        },
        {
            trigger: ".o_notebook a[name=hours]",
            content: "Open the hours tab",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=is_minor] input:checked",
            content: "The student is a minor at the start",
        },
    ],
});

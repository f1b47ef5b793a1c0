import { registry } from "@web/core/registry";

// The head of school opens a placement from the kanban of the placements,
// sends its convention to sign, finds the student flagged as a minor, enters
// the signature date of every party (the lycée's, which is theirs, and the
// legal guardian's too) and records the signed convention.
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
        {
            trigger: ".o_notebook a[name=signatures]",
            content: "Open the signatures tab",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=date_signed_school] input",
            content: "Date the signature",
            run: "edit 10/27/2025 && click .o_form_sheet .oe_title",
        },
        {
            trigger: ".o_field_widget[name=date_signed_host] input",
            content: "Date the signature",
            run: "edit 10/27/2025 && click .o_form_sheet .oe_title",
        },
        {
            trigger: ".o_field_widget[name=date_signed_tutor] input",
            content: "Date the signature",
            run: "edit 10/27/2025 && click .o_form_sheet .oe_title",
        },
        {
            trigger: ".o_field_widget[name=date_signed_teacher] input",
            content: "Date the signature",
            run: "edit 10/27/2025 && click .o_form_sheet .oe_title",
        },
        {
            trigger: ".o_field_widget[name=date_signed_student] input",
            content: "Date the signature",
            run: "edit 10/27/2025 && click .o_form_sheet .oe_title",
        },
        {
            trigger: ".o_field_widget[name=date_signed_guardian] input",
            content: "Date the signature",
            run: "edit 10/27/2025 && click .o_form_sheet .oe_title",
        },
        {
            trigger: ".o_field_widget[name=signature_count]:contains(6)",
            content: "Every signature is dated",
        },
        {
            trigger: ".o_form_view button[name=action_sign]",
            content: "Record the signed convention",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Signed)",
            content: "The convention is signed",
        },
    ],
});

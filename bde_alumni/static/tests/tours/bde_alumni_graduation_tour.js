import { registry } from "@web/core/registry";

// End of the school year: the BDE manager graduates a final-year class with
// the consents ticked on the graduation form, then finds the new alumni who
// joined the network in the alumni directory.
registry.category("web_tour.tours").add("bde_alumni_graduation_tour", {
    steps: () => [
        {
            trigger: ".o_last_breadcrumb_item:contains(T TOUR graduation)",
            content: "The final-year class is open",
        },
        {
            trigger: ".o_form_statusbar button:contains(Graduate the class)",
            content: "Graduate the class",
            run: "click",
        },
        {
            trigger: ".modal .o_data_row:contains(Inès Diplômée) td[name=diploma_result]",
            content: "Edit the line of the student who joins the network",
            run: "click",
        },
        {
            trigger: ".modal .o_data_row:contains(Inès Diplômée) .o_field_widget[name=diploma_result] select",
            content: "Diploma obtained",
            run: 'select "obtained"',
        },
        {
            trigger: ".modal .o_data_row:contains(Inès Diplômée) .o_field_widget[name=network_consent] input",
            content: "She joins the alumni network",
            run: "check",
        },
        {
            trigger: ".modal button[name=action_graduate]",
            content: "Graduate",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Inès Diplômée)",
            content: "The students are now alumni of the class",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Noé Discret)",
            content: "All the class graduated",
        },
        {
            trigger: "body",
            content: "Open the alumni directory",
            run: "goToUrl /odoo/bde-alumni",
        },
        {
            trigger: ".o_kanban_record:contains(Inès Diplômée)",
            content: "She is in the directory",
        },
        {
            trigger: ".o_kanban_renderer:not(:has(.o_kanban_record:contains(Noé Discret)))",
            content: "Her classmate who gave no consent is not",
        },
    ],
});

import { registry } from "@web/core/registry";

// The BDE manager records a new company partner from the BDE app: identity,
// SIRET, NAF code and partnership status, as on a first phone call.
registry.category("web_tour.tours").add("bde_lycee_company_tour", {
    url: "/odoo/bde-companies",
    steps: () => [
        {
            trigger: ".o_list_button_add",
            content: "Create a company",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=name] input",
            content: "Company name",
            run: "edit Boulangerie du Parc",
        },
        {
            trigger: ".o_field_widget[name=siret] input",
            content: "SIRET",
            run: "edit 73282932000074",
        },
        {
            trigger: ".o_notebook a[name=bde]",
            content: "Open the Bureau des entreprises tab",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=bde_naf_code] input",
            content: "NAF code",
            run: "edit 1071c",
        },
        {
            trigger: ".o_field_widget[name=bde_partner_status] select",
            content: "Partnership status",
            run: 'select "active"',
        },
        {
            trigger: ".o_form_button_save",
            content: "Save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
            content: "Saved",
        },
        {
            trigger: ".o_field_widget[name=bde_naf_code] input:value(10.71C)",
            content: "The NAF code is stored in its canonical form",
        },
    ],
});

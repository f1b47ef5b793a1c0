import { registry } from "@web/core/registry";

// Axe 1's main flow: a prospect of the BDE pipeline agrees to a partnership;
// the BDE manager marks the lead won and lands on the draft convention that
// winning opened for the company.
registry.category("web_tour.tours").add("bde_lycee_lead_won_tour", {
    steps: () => [
        {
            trigger: ".o_last_breadcrumb_item:contains(Partenariat Garage du Tour)",
            content: "The lead of the BDE pipeline is open",
        },
        {
            trigger: "button[name=action_set_won_rainbowman]",
            content: "Mark the lead as won",
            run: "click",
        },
        {
            trigger: "button[name=action_view_bde_conventions]",
            content: "Open the convention opened by winning the lead",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=partner_id] input:value(Garage du Tour)",
            content: "The convention is for the company of the lead",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Draft)",
            content: "The convention is a draft",
        },
    ],
});

import { registry } from "@web/core/registry";

function assertWhole() {
    // The name is shown whole, not cut with an ellipsis.
    if (this.anchor.scrollWidth > this.anchor.clientWidth) {
        throw new Error(`The lycée's name is cut: ${this.anchor.textContent}`);
    }
}

// The academic correspondent opens the BDE app: they land on the network's
// figures of the current school year, every lycée they follow at once,
// without ticking them in the company switcher.
registry.category("web_tour.tours").add("bde_lycee_network_tour", {
    url: "/odoo",
    steps: () => [
        {
            trigger: ".o_navbar_apps_menu button",
            content: "Open the apps menu",
            run: "click",
        },
        {
            trigger: ".o_app[data-menu-xmlid='bde_lycee.bde_menu_root']",
            content: "Open the Bureau des entreprises",
            run: "click",
        },
        {
            trigger: ".o_searchview .o_facet_value:contains('Current school year')",
            content: "The current school year is selected",
        },
        {
            trigger: ".o_data_cell[name=lycee_name]:contains('Lycée professionnel Jean Jaurès')",
            content: "The first lycée, by its full name",
            run: assertWhole,
        },
        {
            trigger:
                ".o_data_cell[name=lycee_name]:contains('Lycée professionnel Louis Lumière')",
            content: "The second lycée, by its full name",
            run: assertWhole,
        },
    ],
});

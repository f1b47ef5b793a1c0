import { registry } from "@web/core/registry";

// The BDE looks for a host on the map: the host directory switches to OCA's
// leaflet map, where the host is pinned with its places left, and a filter
// chosen on the map takes it off; then the offers of the current school
// year, pinned at their site.
registry.category("web_tour.tours").add("bde_pfmp_host_map_tour", {
    url: "/odoo/bde-host-directory",
    steps: () => [
        {
            trigger: ".o_kanban_record:contains(Boulangerie Test)",
            content: "The host is in the directory",
        },
        {
            trigger: ".o_switch_view.o_leaflet_map",
            content: "Switch to the map",
            run: "click",
        },
        {
            trigger: ".o_leaflet_map_container .leaflet-marker-icon",
            content: "The host is pinned: open its popup",
            run: "click",
        },
        {
            trigger: ".leaflet-popup-content:contains(Boulangerie Test):contains(Places left: 3)",
            content: "The popup names the host and its places left",
        },
        {
            trigger: ".o_searchview_dropdown_toggler",
            content: "Open the filters",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .o_menu_item:contains(Accepts minors)",
            content: "Keep the hosts that accept minors",
            run: "click",
        },
        {
            trigger: ".o_leaflet_map_container:not(:has(.leaflet-marker-icon))",
            content: "The host, which takes no minors, leaves the map",
        },
    ],
});

registry.category("web_tour.tours").add("bde_pfmp_offer_map_tour", {
    url: "/odoo/bde-host-offers",
    steps: () => [
        {
            trigger: ".o_facet_value:contains(Current school year)",
            content: "The offers of the current school year",
        },
        {
            trigger: ".o_switch_view.o_leaflet_map",
            content: "Switch to the map",
            run: "click",
        },
        {
            trigger: ".o_leaflet_map_container .leaflet-marker-icon",
            content: "The offer is pinned at its site: open its popup",
            run: "click",
        },
        {
            trigger: ".leaflet-popup-content:contains(Villeurbanne):contains(Places left: 3)",
            content: "The popup gives the site's town and the places left",
        },
    ],
});

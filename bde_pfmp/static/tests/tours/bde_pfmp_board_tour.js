/* global Chart */
import { registry } from "@web/core/registry";

const STATE_CHART = ".o-dashboard-action:contains(Placements by class and state)";

// The BDE manager opens the PFMP board from its URL: the lycées' figures at
// the top, the charts of the current school year below; a bar of the
// placements by state opens the placements it counts.
registry.category("web_tour.tours").add("bde_pfmp_board_tour", {
    url: "/odoo/bde-pfmp-dashboard",
    steps: () => [
        {
            trigger: ".o-dashboard-action:contains(Lycées' figures) .o_data_row:contains(0750655E)",
            content: "The lycée's figures head the board",
        },
        {
            trigger: ".o-dashboard-action:contains(Signature progress) .o_graph_renderer canvas",
            content: "The signature progress is drawn",
        },
        {
            trigger: ".o-dashboard-action:contains(Host ratings by sector) .o_graph_renderer canvas",
            content: "The host ratings are drawn",
        },
        {
            trigger: `${STATE_CHART} .o_graph_renderer canvas`,
            content: "Click the first bar of the placements by state",
            run() {
                // A bar is drawn on the canvas: click where Chart.js drew it.
                const canvas = this.anchor;
                const bar = Chart.getChart(canvas).getDatasetMeta(0).data[0];
                const box = canvas.getBoundingClientRect();
                const point = { clientX: box.left + bar.x, clientY: box.top + (bar.y + bar.base) / 2 };
                canvas.dispatchEvent(new MouseEvent("click", { ...point, bubbles: true }));
            },
        },
        {
            // One bar: one state of the class, one placement.
            trigger: ".o_list_view:not(:has(.o_data_row ~ .o_data_row)) .o_data_row:contains(Board Student)",
            content: "The placement behind the bar is listed",
        },
        {
            trigger: ".o_breadcrumb .breadcrumb-item:contains(PFMP dashboard)",
            content: "Back to the board from the breadcrumb",
            run: "click",
        },
        {
            trigger: `.o_dashboard ${STATE_CHART} .o_graph_renderer canvas`,
            content: "The board again",
        },
    ],
});

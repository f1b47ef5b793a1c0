/* global Chart */
import { registry } from "@web/core/registry";

const FUNNEL = ".o-dashboard-action:contains(Prospect funnel)";

// The BDE manager opens the BDE board from its URL: the lycée's figures on
// top, the funnel, the tax against its target, conventions and events of the
// current school year; the funnel's first bar opens the leads it counts.
registry.category("web_tour.tours").add("bde_lycee_board_tour", {
    url: "/odoo/bde-dashboard-board",
    steps: () => [
        {
            trigger: ".o-dashboard-action:contains(The lycée's figures) .o_data_row:contains(0750655E)",
            content: "The lycée's figures head the board",
        },
        {
            trigger: ".o-dashboard-action:contains(Apprenticeship tax against the target) .o_pivot:contains(Board campaign target)",
            content: "The tax against the target is a pivot of the campaign",
        },
        {
            trigger: ".o-dashboard-action:contains(Conventions signed and ended) .o_graph_renderer canvas",
            content: "The conventions are drawn",
        },
        {
            trigger: ".o-dashboard-action:contains(Events held and attendance) .o_graph_renderer",
            content: "The events are drawn",
        },
        {
            trigger: `${FUNNEL} .o_graph_renderer canvas`,
            content: "Click the first stage of the funnel",
            run() {
                // A bar is drawn on the canvas: click where Chart.js drew it.
                const canvas = this.anchor;
                const bar = Chart.getChart(canvas).getDatasetMeta(0).data[0];
                const box = canvas.getBoundingClientRect();
                const point = {
                    clientX: box.left + bar.x,
                    clientY: box.top + (bar.y + bar.base) / 2,
                };
                canvas.dispatchEvent(new MouseEvent("click", { ...point, bubbles: true }));
            },
        },
        {
            // The three leads of the first stage, and them only.
            trigger: ".o_list_view:has(.o_data_row:contains(Board lead 3)):not(:has(.o_data_row ~ .o_data_row ~ .o_data_row ~ .o_data_row))",
            content: "The leads behind the bar are listed",
        },
        {
            trigger: ".o_breadcrumb .breadcrumb-item:contains(BDE dashboard)",
            content: "Back to the board from the breadcrumb",
            run: "click",
        },
        {
            trigger: `.o_dashboard ${FUNNEL} .o_graph_renderer canvas`,
            content: "The board again",
        },
    ],
});

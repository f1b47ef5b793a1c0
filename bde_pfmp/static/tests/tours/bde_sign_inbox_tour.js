import { registry } from "@web/core/registry";

// The head of school signs from their inbox: the PFMP conventions filtered
// "To sign" are hers alone (two of 1 MCV A's conventions the tutor and the
// student signed, a third the tutor alone; a convention of the other lycée
// never shows). She selects two, signs them in one action with a drawn
// signature, and finds only the third left in her "To sign" menu.
function expectRows(count) {
    const rows = document.querySelectorAll(".o_list_view .o_data_row").length;
    if (rows !== count) {
        throw new Error(`${count} conventions to sign expected, ${rows} listed`);
    }
}

registry.category("web_tour.tours").add("bde_sign_inbox_tour", {
    url: "/odoo/bde-pfmp-placements",
    steps: () => [
        {
            trigger: ".o_switch_view.o_list",
            content: "List the placements",
            // The first load of the web client on a busy test machine.
            timeout: 30000,
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Ryan Barbier)",
            content: "Every placement is listed",
        },
        {
            trigger: ".o_list_view .o_searchview_dropdown_toggler",
            content: "Open the filters",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .o_menu_item:contains(/^To sign$/)",
            content: "Keep the conventions waiting for my signature",
            run: "click",
        },
        {
            // Filtered: Ryan Barbier, still searching for a host, is gone.
            trigger:
                ".o_list_view:not(:has(.o_data_row:contains(Ryan Barbier))):has(.o_data_row:contains(Lou Leroy)):has(.o_data_row:contains(Océane Mathieu)):has(.o_data_row:contains(Anaïs Garcia))",
            content: "The conventions waiting for me, and only them",
            run() {
                expectRows(3);
            },
        },
        {
            trigger: ".o_data_row:contains(Lou Leroy) .o_list_record_selector input",
            content: "Select Lou Leroy's convention",
            run: "click",
        },
        {
            trigger: ".o_data_row:contains(Océane Mathieu) .o_list_record_selector input",
            content: "Select Océane Mathieu's convention",
            run: "click",
        },
        {
            trigger: ".o_cp_action_menus button:contains(Actions)",
            content: "Open the actions of the selection",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu .o-dropdown-item:contains(/^Sign$/)",
            content: "Sign the two conventions",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=signature] .o_signature",
            content: "Open the signature pad",
            run: "click",
        },
        {
            trigger: ".modal canvas.o_web_sign_signature",
            content: "Draw the signature",
            run: "drag_and_drop .modal canvas.o_web_sign_signature",
        },
        {
            trigger: ".modal .modal-footer .btn-primary:contains(Adopt & Sign):enabled",
            content: "Adopt the signature",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=signature] img.o_signature",
            content: "The signature is drawn in the wizard",
        },
        {
            trigger: ".modal button[name=action_sign]",
            content: "Sign the selected conventions",
            run: "click",
        },
        {
            // Signed by the head, the conventions leave the filter.
            trigger:
                ".o_list_view:not(:has(.modal)):has(.o_data_row:contains(Anaïs Garcia)):not(:has(.o_data_row:contains(Lou Leroy))):not(:has(.o_data_row:contains(Océane Mathieu)))",
            content: "Only the third convention still waits for me",
        },
        {
            trigger: ".o_menu_sections button:contains(To sign), .o_menu_sections a:contains(To sign)",
            content: "Open the inbox of documents to sign",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu .o-dropdown-item:contains(PFMP conventions)",
            content: "The PFMP conventions waiting for me",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Anaïs Garcia)",
            content: "One convention left to sign",
            run() {
                expectRows(1);
            },
        },
    ],
});

import { registry } from "@web/core/registry";

// A student opens their space from the portal's home, browses the offers of
// their lycée for their formation, opens one and logs that they called the
// company: the step appears in their search log.
registry.category("web_tour.tours").add("bde_pfmp_student_offers_tour", {
    url: "/my",
    steps: () => [
        {
            trigger: ".o_portal_index_card a[href='/my/placements']",
            content: "Open my placements",
            run: "click",
        },
        {
            trigger: "#pfmp_student_links a[href='/my/placements/offers']",
            content: "Browse the offers for my formation",
            run: "click",
        },
        {
            trigger: ".o_bde_student_offer a:contains(Fnac Test)",
            content: "Open an offer",
            run: "click",
        },
        {
            trigger: "#pfmp_student_offer:contains(Places left)",
            content: "The host's public data",
        },
        {
            trigger: "#pfmp_student_offer_log select[name=mode]",
            content: "Called by phone",
            run: "select phone",
        },
        {
            trigger: "#pfmp_student_offer_log select[name=answer]",
            content: "An interview is set",
            run: "select interview",
        },
        {
            trigger: "#pfmp_student_offer_log textarea[name=note]",
            content: "A note for my teacher",
            run: "edit Entretien jeudi à 14 h avec la responsable",
        },
        {
            trigger: "#pfmp_student_offer_log button[type=submit]",
            content: "Log the contact",
            run: "click",
        },
        {
            trigger: ".alert-success:contains(Your contact is logged)",
            content: "The contact is logged",
        },
        {
            trigger: ".o_bde_student_step:contains(Fnac Test):contains(Interview)",
            content: "It is in my search log",
        },
    ],
});

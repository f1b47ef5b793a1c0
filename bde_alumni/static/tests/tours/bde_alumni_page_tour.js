import { registry } from "@web/core/registry";

// A former student gives their news on the lycée's public alumni page: who
// they are, what they do, the two consents and their willingness to help.
registry.category("web_tour.tours").add("bde_alumni_page_tour", {
    url: "/bde/alumni",
    steps: () => [
        {
            trigger: "#bde_alumni_name",
            content: "Name",
            run: "edit Inès Tourneur",
        },
        {
            trigger: "#bde_alumni_email",
            content: "E-mail",
            run: "edit ines.tourneur@example.com",
        },
        {
            trigger: "#bde_alumni_exit_year",
            content: "Year of exit",
            run: "edit 2025",
        },
        {
            trigger: "#bde_alumni_formation_id",
            content: "Formation",
            run: "selectByLabel Bac pro Tour test",
        },
        {
            trigger: "#bde_alumni_status",
            content: "Current situation",
            run: "select employed",
        },
        {
            trigger: "#bde_alumni_contract_type",
            content: "Contract",
            run: "select permanent",
        },
        {
            trigger: "#bde_alumni_employer_name",
            content: "Employer",
            run: "edit Garage du Tour",
        },
        {
            trigger: "#bde_alumni_job_title",
            content: "Job",
            run: "edit Mécanicienne",
        },
        {
            trigger: "#bde_alumni_contact_consent",
            content: "Agree to be contacted",
            run: "click",
        },
        {
            trigger: "#bde_alumni_willing_tutor",
            content: "Willing to host a student",
            run: "click",
        },
        {
            trigger: "#bde_alumni_form button[type=submit]",
            content: "Send",
            run: "click",
        },
        {
            trigger: "h1:contains(Check your mailbox)",
            content: "The visitor is told to confirm from their mailbox",
        },
    ],
});

// The alumni follows the link of the confirmation e-mail, checks what they
// sent and confirms it with the page's button.
registry.category("web_tour.tours").add("bde_alumni_confirm_tour", {
    steps: () => [
        {
            trigger: ".bde_alumni_request_summary:contains(Garage du Tour)",
            content: "What was sent is shown before it is confirmed",
        },
        {
            trigger: "button.bde_alumni_confirm_button",
            content: "Confirm",
            run: "click",
        },
        {
            trigger: ".bde_alumni_confirmed",
            content: "The request is confirmed",
        },
    ],
});

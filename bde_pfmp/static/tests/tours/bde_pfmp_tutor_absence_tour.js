import { registry } from "@web/core/registry";

// A tutor logged into the portal opens the placement of their trainee,
// records an unjustified afternoon of absence and sees the days done go
// down by one (two half-days make a day: 37 half-days are 18 days).
registry.category("web_tour.tours").add("bde_pfmp_tutor_absence_tour", {
    url: "/my/pfmp",
    steps: () => [
        {
            trigger: "a:contains(Léa Martin)",
            content: "Open the trainee's placement",
            run: "click",
        },
        {
            trigger: "#pfmp_days_computed:contains(19)",
            content: "19 working days: four weeks less the Armistice",
        },
        {
            trigger: "#absence_date",
            content: "The day of the absence",
            run() {
                this.anchor.value = "2025-11-04";
            },
        },
        {
            trigger: "#absence_duration",
            content: "An afternoon",
            run: "select afternoon",
        },
        {
            trigger: "#absence_reason",
            content: "The reason",
            run: "select transport",
        },
        {
            trigger: "#pfmp_absence_form button[type=submit]",
            content: "Record the absence, not justified",
            run: "click",
        },
        {
            trigger: ".alert-success:contains(The absence is recorded)",
            content: "The absence is recorded",
        },
        {
            trigger: "#pfmp_absences td:contains(Afternoon)",
            content: "It is listed",
        },
        {
            trigger: "#pfmp_days_computed:contains(18)",
            content: "The days done went down",
        },
    ],
});

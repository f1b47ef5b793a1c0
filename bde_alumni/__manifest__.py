{
    "name": "Bureau des entreprises – Alumni",
    "summary": "Graduates, consent, career follow-up at 6/12/24 months, insertion "
    "indicators and the alumni network of the lycée",
    "version": "18.0.0.1.0",
    "category": "Education",
    "website": "https://github.com/bde-suite/bde-suite",
    "author": "BDE suite developers",
    "license": "AGPL-3",
    "depends": ["bde_lycee"],
    # Not installable until its models land (issue 4): the test and demo
    # commands only install the bde_* modules marked installable.
    "installable": False,
}

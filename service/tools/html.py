"""Server-rendered pages of the tools (templates in `templates/tools/`), in the publishing
pages' layout; the interface's words in Finnish and English."""

from __future__ import annotations

from typing import Any

from service.publishing.html import TEXTS as SITE_TEXTS
from service.publishing.html import _environment
from service.publishing.labels import other_language

TEXTS: dict[str, dict[str, str]] = {
    "fi": {
        "tools": "Työkalut",
        "tools_intro": "Verkostojen työkalut: laadun itsearviointi, toimialafoorumien seuranta, "
        "strategioiden yhteensopivuus, osaamiskartat ja tuotteiden käsittely. Tallennukset "
        "tarkistetaan samoilla muotosäännöillä kuin muukin tieto.",
        "login": "Kirjaudu kirjoittamaan",
        "login_intro": "Tallentaminen vaatii palvelun kirjoitusavaimen. Avain annetaan kerran; "
        "selain saa istuntoevästeen (HttpOnly, SameSite=Strict), jossa avain ei itse ole.",
        "token": "Kirjoitusavain",
        "login_button": "Kirjaudu",
        "logout": "Kirjaudu ulos",
        "logged_in": "Olet kirjautunut kirjoittamaan.",
        "not_logged_in": "Et ole kirjautunut: voit katsoa, mutta tallentaminen vaatii "
        "kirjautumisen.",
        "need_login": "Tallentaminen vaatii kirjautumisen.",
        "bad_token": "Avain ei kelpaa.",
        "refused": "Tallennusta ei tehty: tiedot eivät täytä sääntöjä. Korjaa merkityt kohdat.",
        "saved": "Tallennettu.",
        "save": "Tallenna",
        "quality": "Laadun itsearviointi",
        "quality_intro": "Organisaatio vastaa ELO-laadunhallintatyökalun indikaattorikysymyksiin "
        "asteikolla 1-5. Yksi arviointi organisaatiota ja päivää kohden; arviointia voi jatkaa "
        "myöhemmin samalla päivällä.",
        "organisation": "Organisaatio",
        "date": "Päivä",
        "open": "Avaa",
        "scale": "Asteikko",
        "no_answer": "ei vastausta",
        "comment": "Kommentti",
        "answer": "Vastaus",
        "summary": "Yhteenveto",
        "area": "Osa-alue",
        "standard": "Standardi",
        "indicators": "Indikaattoreita",
        "answered": "Vastattu",
        "mean": "Keskiarvo",
        "previous_mean": "Edellinen keskiarvo",
        "previous": "Edellinen",
        "change": "Muutos",
        "comparison": "Vertailu edelliseen arviointiin",
        "no_previous": "Organisaatiolla ei ole aiempaa arviointia.",
        "unanswered": "Vastaamatta",
        "all_answered": "Kaikkiin indikaattoreihin on vastattu.",
        "no_standards": "Lähteessä ei ole tämän osa-alueen standardeja.",
        "assessments": "Arvioinnit",
        "new_assessment": "Uusi tai jatkettava arviointi",
        "forums": "Toimialafoorumit",
        "forums_intro": "Toimialafoorumit elinkaaren vaiheineen: mitä vaihe edellyttää, mitä "
        "foorumilla jo on ja mitä siltä vielä puuttuu. Vaiheen vaihto hylätään perusteluineen, "
        "kun foorumilta puuttuu jotain, mitä uusi vaihe edellyttää.",
        "forum": "Foorumi",
        "sector": "Toimiala",
        "phase": "Elinkaaren vaihe",
        "lacks": "Puuttuu",
        "has": "On",
        "nothing_lacking": "Ei puutteita",
        "requirement": "Edellytys",
        "since_phase": "Vaiheesta",
        "status": "Tila",
        "next_requires": "Seuraava vaihe edellyttää lisäksi",
        "move_to": "Siirrä vaiheeseen",
        "change_phase": "Vaiheen vaihto",
        "last_phase": "Foorumi on viimeisessä vaiheessa.",
        "new_forum": "Uusi toimialafoorumi",
        "label_fi": "Nimi suomeksi",
        "label_en": "Nimi englanniksi",
        "create": "Luo",
        "add_output": "Kirjaa tuotos",
        "kind": "Tuotoksen laji",
        "organisation_hint": "Nimetyille jäsenille jäsenorganisaatio, toimintasuunnitelmalle "
        "toimenpiteen vastuutoimija.",
        "no_forums": "Toimialafoorumeita ei ole vielä kirjattu.",
        "find_organisation": "Etsi organisaatiota nimen osalla",
        "find": "Etsi",
        "organisations_shown": "Organisaatioita näkyvissä {shown}, hakuun sopivia {matching}, "
        "kaikkiaan {total}.",
        "find_competence": "Etsi osaamista nimen osalla",
        "competences_shown": "Osaamisia näkyvissä {shown}, hakuun sopivia {matching}, "
        "kaikkiaan {total}.",
        "strategy": "Strategioiden yhteensopivuus",
        "strategy_intro": "Kolmen politiikkatason tavoitteet puuna tukisuhteineen (ok:supports): "
        "EU, kansallinen ja maakunnallinen. Maakunnallisten tavoitteiden alla toimenpiteet ja "
        "niiden vastuutoimijat; lopuksi puutteet.",
        "strategies": "Strategiat",
        "supports": "tukee",
        "goal_tree": "Tavoitteet",
        "measures": "Toimenpiteet",
        "responsible": "Vastuutoimijat",
        "refined": "Tarkennettu tavoite",
        "gaps": "Puutteet",
        "supports_nothing": "Tavoitteet, jotka eivät tue mitään",
        "without_actor": "Toimenpiteet ilman vastuutoimijaa",
        "none": "Ei yhtään.",
        "competence": "Osaamiskartat",
        "competence_intro": "Oppilaitosten osaamiskartat: tutkinnot, koulutukset, tilat, "
        "laitteet, asiantuntijat ja hankkeet toimialoineen ja osaamisineen. Haku kertoo, kuka "
        "tarjoaa osaamista X alueella R.",
        "who_offers": "Kuka tarjoaa osaamista alueella?",
        "any": "mikä tahansa",
        "region": "Alue",
        "offer": "Tarjonta",
        "provider": "Tarjoaja",
        "search_results": "Tulokset",
        "choose_to_search": "Valitse osaaminen, maakunta tai molemmat.",
        "search_cut": "Tuloksia on yli {shown}; tässä niistä {shown}. Rajaa hakua valitsemalla "
        "sekä osaaminen että maakunta.",
        "institutions": "Oppilaitokset ja organisaatiot",
        "Degree": "Tutkinnot",
        "Training": "Koulutukset",
        "Facility": "Tilat",
        "Equipment": "Laitteet",
        "Expert": "Asiantuntijat",
        "Project": "Hankkeet",
        "TrainingProduct": "Koulutustuotteet",
        "competences": "Osaamiset",
        "new_competences": "Uudet osaamiset (pilkuin eroteltuina)",
        "new_entry": "Uusi kohde",
        "edit_entry": "Muokkaa kohdetta",
        "edit": "Muokkaa",
        "empty_group": "Ei kohteita.",
        "review": "Tuotteiden käsittely",
        "review_intro": "Tuotteen käsittely kolmitasoisessa ELOverkostossa: hanke laatii, JORY "
        "kommentoi, ELOverkko käsittelee työpajoissa, organisaatiot ottavat käyttöön ja "
        "testaavat. Sivu näyttää, missä vaiheessa kukin tuote on.",
        "product": "Tuote",
        "current_stage": "Nykyinen vaihe",
        "not_started": "Käsittely ei ole alkanut.",
        "steps": "Käsittelyvaiheet",
        "stage": "Vaihe",
        "outcome": "Tulos",
        "reviewers": "Käsittelijät",
        "description": "Kuvaus",
        "record_step": "Kirjaa käsittelyvaihe",
        "new_product": "Uusi tuote",
        "no_products": "Tuotteita ei ole.",
        "json": "JSON",
        "csv": "CSV",
    },
    "en": {
        "tools": "Tools",
        "tools_intro": "Working tools for the networks: quality self-assessment, sector forum "
        "tracker, strategy alignment, competence maps and the review of products. What you "
        "save is checked by the same shapes as all other data.",
        "login": "Log in to write",
        "login_intro": "Saving needs the service's write token. You give it once; the browser "
        "gets a session cookie (HttpOnly, SameSite=Strict) that does not contain the token.",
        "token": "Write token",
        "login_button": "Log in",
        "logout": "Log out",
        "logged_in": "You are logged in to write.",
        "not_logged_in": "You are not logged in: you can look, but saving needs a login.",
        "need_login": "Saving needs a login.",
        "bad_token": "The token is not valid.",
        "refused": "Nothing was saved: the data does not meet the rules. Correct the marked "
        "fields.",
        "saved": "Saved.",
        "save": "Save",
        "quality": "Quality self-assessment",
        "quality_intro": "An organisation answers the indicator questions of the ELO quality "
        "tool on a 1-5 scale. One assessment per organisation and date; you can resume it "
        "later on the same date.",
        "organisation": "Organisation",
        "date": "Date",
        "open": "Open",
        "scale": "Scale",
        "no_answer": "no answer",
        "comment": "Comment",
        "answer": "Answer",
        "summary": "Summary",
        "area": "Area",
        "standard": "Standard",
        "indicators": "Indicators",
        "answered": "Answered",
        "mean": "Mean",
        "previous_mean": "Previous mean",
        "previous": "Previous",
        "change": "Change",
        "comparison": "Comparison with the previous assessment",
        "no_previous": "The organisation has no earlier assessment.",
        "unanswered": "Unanswered",
        "all_answered": "Every indicator is answered.",
        "no_standards": "The source gives no standards for this area.",
        "assessments": "Assessments",
        "new_assessment": "New or resumed assessment",
        "forums": "Sector forums",
        "forums_intro": "Sector forums with their lifecycle phase: what the phase requires, what "
        "the forum already has and what it still lacks. A phase change is refused, with the "
        "reasons, while the forum lacks what the new phase requires.",
        "forum": "Forum",
        "sector": "Sector",
        "phase": "Lifecycle phase",
        "lacks": "Lacks",
        "has": "Has",
        "nothing_lacking": "Nothing lacking",
        "requirement": "Requirement",
        "since_phase": "From phase",
        "status": "Status",
        "next_requires": "The next phase also requires",
        "move_to": "Move to phase",
        "change_phase": "Phase change",
        "last_phase": "The forum is in the last phase.",
        "new_forum": "New sector forum",
        "label_fi": "Name in Finnish",
        "label_en": "Name in English",
        "create": "Create",
        "add_output": "Record an output",
        "kind": "Kind of output",
        "organisation_hint": "For appointed members the member organisation, for an action plan "
        "the actor responsible for its measure.",
        "no_forums": "No sector forums have been recorded yet.",
        "find_organisation": "Find an organisation by part of its name",
        "find": "Find",
        "organisations_shown": "Organisations shown: {shown}; matching: {matching}; "
        "in all: {total}.",
        "find_competence": "Find a competence by part of its name",
        "competences_shown": "Competences shown: {shown}; matching: {matching}; in all: {total}.",
        "strategy": "Strategy alignment",
        "strategy_intro": "The goals of the three policy levels as a tree of their supports links "
        "(ok:supports): EU, national and regional. Under the regional goals their measures and "
        "responsible actors; the gaps at the end.",
        "strategies": "Strategies",
        "supports": "supports",
        "goal_tree": "Goals",
        "measures": "Measures",
        "responsible": "Responsible actors",
        "refined": "Refined goal",
        "gaps": "Gaps",
        "supports_nothing": "Goals that support nothing",
        "without_actor": "Measures without a responsible actor",
        "none": "None.",
        "competence": "Competence maps",
        "competence_intro": "The competence maps of institutions: degrees, trainings, facilities, "
        "equipment, experts and projects with their sectors and competences. The search tells "
        "who offers competence X in region R.",
        "who_offers": "Who offers a competence in a region?",
        "any": "any",
        "region": "Region",
        "offer": "Offer",
        "provider": "Provider",
        "search_results": "Results",
        "choose_to_search": "Choose a competence, a region or both.",
        "search_cut": "There are more than {shown} results; here are {shown} of them. Choose "
        "both a competence and a region to narrow the search.",
        "institutions": "Institutions and organisations",
        "Degree": "Degrees",
        "Training": "Trainings",
        "Facility": "Facilities",
        "Equipment": "Equipment",
        "Expert": "Experts",
        "Project": "Projects",
        "TrainingProduct": "Training products",
        "competences": "Competences",
        "new_competences": "New competences (separated by commas)",
        "new_entry": "New entry",
        "edit_entry": "Edit the entry",
        "edit": "Edit",
        "empty_group": "No entries.",
        "review": "Review of products",
        "review_intro": "The review of a product in the three-level ELO network: the project "
        "drafts it, JORY comments, ELOverkko reviews it in workshops, the organisations adopt "
        "and test it. The page shows where each product is.",
        "product": "Product",
        "current_stage": "Current stage",
        "not_started": "The review has not started.",
        "steps": "Review steps",
        "stage": "Stage",
        "outcome": "Outcome",
        "reviewers": "Reviewers",
        "description": "Description",
        "record_step": "Record a review step",
        "new_product": "New product",
        "no_products": "There are no products.",
        "json": "JSON",
        "csv": "CSV",
    },
}


def render(template: str, lang: str, switch_href: str, **context: Any) -> str:
    """Render `tools/{template}` in `lang` with the site's and the tools' words."""
    words = {**SITE_TEXTS[lang], **TEXTS[lang]}
    return (
        _environment()
        .get_template(f"tools/{template}")
        .render(
            lang=lang,
            t=words,
            other_lang=other_language(lang),
            switch_href=switch_href,
            **context,
        )
    )

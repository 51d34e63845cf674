"""What the app says, in English and Dutch. Dutch terms are the field's own (the glossary in
docs/domain.md): *dubbel isolement*, *drempel*, *maatje*, *sturen op stabiliteit*.

>>> say("double", "nl"), say("buddies", "en")
('dubbel isolement', 'volunteer buddies')
>>> say("week_n", "nl", n=12)
'week 12'
"""

from __future__ import annotations

from babel import Locale, numbers

LANGUAGES = ("en", "nl")

TEXT: dict[str, tuple[str, str]] = {
    # (English, Dutch)
    "title": ("Marginalisation in the neighbourhood", "Marginalisering in de wijk"),
    "language": ("Nederlands", "English"),  # the button offers the other language
    "week_n": ("week {n}", "week {n}"),
    # isolation types
    "none": ("not isolated", "niet geïsoleerd"),
    "individual": ("individual societal isolation", "individueel maatschappelijk isolement"),
    "collective": ("collective societal isolation", "collectief maatschappelijk isolement"),
    "double": ("double isolation", "dubbel isolement"),
    # the map
    "map_residents": ("Residents by isolation type (large red dots: double isolation; dark centre: has a buddy).",
                      "Bewoners naar soort isolement (grote rode stippen: dubbel isolement; donker hart: heeft "
                      "een maatje)."),
    "map_venues": ("Activities: ● meeting ▲ exercise ■ creative ◆ work; colour: thresholds, "
                   "from none (green) to four (red).",
                   "Activiteiten: ● ontmoeten ▲ bewegen ■ creatief ◆ werk; kleur: drempels, "
                   "van geen (groen) tot vier (rood)."),
    # the network view
    "network": ("A resident's network", "Het netwerk van een bewoner"),
    "resident": ("resident", "bewoner"),
    "pick_double": ("Someone in double isolation", "Iemand in dubbel isolement"),
    "pick_any": ("Anyone", "Willekeurig iemand"),
    "network_about": ("The picked resident (large, in the middle) and everyone they have a tie with, by "
                      "isolation type. Rings from the middle: household; family and friends; neighbours and "
                      "acquaintances; buddies. Ties by layer, thicker when stronger:",
                      "De gekozen bewoner (groot, in het midden) en iedereen met wie die een band heeft, naar soort "
                      "isolement. Ringen vanuit het midden: huishouden; familie en vrienden; buren en kennissen; "
                      "maatjes. Banden naar laag, dikker als ze sterker zijn:"),
    "household": ("household", "huishouden"),
    "family": ("family", "familie"),
    "friend": ("friends", "vrienden"),
    "neighbour": ("neighbours", "buren"),
    "acquaintance": ("acquaintances", "kennissen"),
    "buddy": ("buddy", "maatje"),
    # charts
    "isolation_types": ("Isolation types", "Soorten isolement"),
    "participation": ("Taking part this week", "Deelname deze week"),
    "participation_all": ("all residents", "alle bewoners"),
    "participation_double": ("in double isolation", "in dubbel isolement"),
    "loneliness": ("Lonely", "Eenzaam"),
    "cost": ("Cost so far (thousand euro)", "Kosten tot nu toe (duizend euro)"),
    # controls
    "play": ("Play", "Afspelen"),
    "pause": ("Pause", "Pauze"),
    "step": ("Step", "Stap"),
    "reset": ("Reset", "Opnieuw"),
    "speed": ("Weeks per second", "Weken per seconde"),
    "strategy": ("Strategy", "Strategie"),
    "per_year": ("{euro} a year", "{euro} per jaar"),
    "now": ("Now: {double} in double isolation · {taking} taking part · {buddies} buddy matches · "
            "{venues} activities, {free} without thresholds",
            "Nu: {double} in dubbel isolement · {taking} doet mee · {buddies} maatjeskoppels · "
            "{venues} activiteiten, {free} zonder drempels"),
    "cost_per_year": ("Levers cost {euro} a year", "Hefbomen kosten {euro} per jaar"),
    # what the page says of a value it did not take, and of a page that failed to draw
    "refused_range": ("Not taken: {what} goes from {low} to {high}, in steps of {step}.",
                      "Niet overgenomen: {what} gaat van {low} tot {high}, in stappen van {step}."),
    "refused_scenario": ("Not taken: pick one of the scenarios in the list.",
                         "Niet overgenomen: kies een van de scenario's in de lijst."),
    "refused_value": ("Not taken: that value is not one the page offers.",
                      "Niet overgenomen: die waarde biedt de pagina niet aan."),
    "went_wrong": ("Something went wrong in drawing this page; the app is still running.",
                   "Er ging iets mis bij het tekenen van deze pagina; de app draait nog."),
    "go_on": ("Go on", "Verder"),
    # lever groups
    "stability": ("Steering on stability", "Sturen op stabiliteit"),
    "dynamics": ("Steering on dynamics", "Sturen op dynamiek"),
    # levers
    "permanent_funding": ("permanent funding (venues)", "structurele financiering (plekken)"),
    "presence_hours": ("presence (hours a week)", "presentie (uren per week)"),
    "lower_distance": ("lower distance thresholds (venues)", "afstandsdrempels verlagen (plekken)"),
    "lower_cost": ("lower cost thresholds (venues)", "kostendrempels verlagen (plekken)"),
    "lower_discipline": ("lower discipline thresholds (venues)", "disciplinedrempels verlagen (plekken)"),
    "lower_social": ("lower social thresholds (venues)", "sociale drempels verlagen (plekken)"),
    "production_contracts": ("contracts steered on production (share)", "productieafspraken (aandeel)"),
    "diversity": ("diversity: new kinds of activity", "diversiteit: nieuwe soorten activiteit"),
    "small_groups": ("small groups with a group leader", "kleine groepen met een trekker"),
    "buddies": ("volunteer buddies", "maatjes"),
    "links": ("links between activities", "verbindingen tussen activiteiten"),
    "initiative_support": ("support for residents' initiatives", "steun voor bewonersinitiatieven"),
    "community_managers": ("residents on benefits as community managers", "bewoners met een uitkering als buurtverbinders"),
}


LOCALES = {"en": "en_GB", "nl": "nl_NL"}  # the notation of numbers and money (Babel, CLDR)


def percent(share: float, language: str = "en") -> str:
    """A share as a percentage with one decimal, in the language's notation.

    >>> percent(0.0123, "en"), percent(0.0123, "nl")
    ('1.2%', '1,2%')
    """
    return numbers.format_percent(share, "#,##0.0%", locale=LOCALES[language])


def number(value: float, language: str = "en") -> str:
    """A number as short as it goes, in the language's notation.

    >>> number(0.1, "en"), number(0.1, "nl"), number(20.0, "nl"), number(1234.5, "nl")
    ('0.1', '0,1', '20', '1.234,5')
    """
    return numbers.format_decimal(value, locale=LOCALES[language])


def money(euro: float, language: str = "en") -> str:
    """An amount in whole euro, as the language writes money (the locale's own pattern,
    without cents).

    >>> money(249_000, "nl"), money(249_000, "en"), money(-1234.6, "nl")
    ('€\xa0249.000', '€249,000', '€\xa0-1.235')
    """
    locale = Locale.parse(LOCALES[language])
    whole = locale.currency_formats["standard"].pattern.replace(".00", "")
    return numbers.format_currency(round(euro), "EUR", format=whole, locale=locale, currency_digits=False)


def say(key: str, language: str = "en", **values) -> str:
    """The text for ``key`` in ``language`` (``"en"`` or ``"nl"``), with ``values`` filled in."""
    english, dutch = TEXT[key]
    return (dutch if language == "nl" else english).format(**values)

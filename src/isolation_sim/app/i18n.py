"""What the app says, in English and Dutch. Dutch terms follow the glossary of the field
(DOMAIN.md, section 7): *dubbel isolement*, *drempel*, *maatje*, *sturen op stabiliteit*.

>>> say("double", "nl"), say("buddies", "en")
('dubbel isolement', 'volunteer buddies')
>>> say("week_n", "nl", n=12)
'week 12'
"""

from __future__ import annotations

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
    "map": ("The neighbourhood", "De wijk"),
    "map_residents": ("Residents by isolation type (large red dots: double isolation; dark centre: has a buddy).",
                      "Bewoners naar soort isolement (grote rode stippen: dubbel isolement; donker hart: heeft "
                      "een maatje)."),
    "map_venues": ("Activities: ● meeting ▲ exercise ■ creative ◆ work; colour: thresholds, "
                   "from none (green) to four (red).",
                   "Activiteiten: ● ontmoeten ▲ bewegen ■ creatief ◆ werk; kleur: drempels, "
                   "van geen (groen) tot vier (rood)."),
    # charts
    "isolation_types": ("Isolation types", "Soorten isolement"),
    "participation": ("Taking part this week", "Deelname deze week"),
    "participation_all": ("all residents", "alle bewoners"),
    "participation_double": ("in double isolation", "in dubbel isolement"),
    "loneliness": ("Lonely", "Eenzaam"),
    "cost": ("Cost so far (thousand euro)", "Kosten tot nu toe (duizend euro)"),
    "share": ("share of residents", "aandeel van de bewoners"),
    # controls
    "play": ("Play", "Afspelen"),
    "pause": ("Pause", "Pauze"),
    "step": ("Step", "Stap"),
    "reset": ("Reset", "Opnieuw"),
    "speed": ("Weeks per second", "Weken per seconde"),
    "strategy": ("Strategy", "Strategie"),
    "per_year": ("{euro} a year", "{euro} per jaar"),
    "cost_per_year": ("Levers cost {euro} a year", "Hefbomen kosten {euro} per jaar"),
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
    "community_managers": ("residents as community managers", "bewoners als buurtverbinders"),
}


def say(key: str, language: str = "en", **values) -> str:
    """The text for ``key`` in ``language`` (``"en"`` or ``"nl"``), with ``values`` filled in."""
    english, dutch = TEXT[key]
    return (dutch if language == "nl" else english).format(**values)

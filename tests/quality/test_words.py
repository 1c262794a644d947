"""Words of the wrong language: English left in French renders, French in English, Chinese left anywhere."""
from __future__ import annotations

import pytest

from pipeline.quality.words import foreign_words, in_name_runs


@pytest.mark.parametrize("text, lang, expected", [
    # the renders issue 14 quotes
    ("L'article also mentionne le plan.", "fr", ["also"]),
    ("Le Conseil du State de Hubei a publié le plan.", "fr", ["State"]),
    ("avec leur GDP comptant 44,2 % du total des GDP annuels provincial", "fr", ["GDP", "GDP"]),
    ("une approche forward-looking et un focus sur le power", "fr", ["forward-looking", "focus", "power"]),
    # a sentence's first word may be capitalised English too
    ("Also, le maire a parlé.", "fr", ["Also"]),
    # names, runs of capitalised words, loanwords, French acronyms and plain French stay unflagged
    ("Le président Xi Jinping a rencontré John Smith à Londres.", "fr", []),
    ("Le maire de New York a parlé à Washington.", "fr", []),
    ("Selon le U.S. Corps of Engineers, le film « City of Stars » (Great Deeds) a 725 km.", "fr", []),
    ("Il utilise internet et le web tous les jours, selon l'OMS et le PIB.", "fr", []),
    ("Selon Le Monde, la réforme structurelle de l'offre se poursuit.", "fr", []),
    # seen in the renders of the seeds and the sample corpus: a number word is no unit, a compound with an
    # English part, an English -ing word given an accent, a rarer English word the French list lacks
    ("une taille industrielle de 10 trillions de yuans", "fr", ["trillions"]),
    ("un petit capteur de sol-moisture", "fr", ["sol-moisture"]),
    ("ce procédé utilise moins d'énergie que la smélting", "fr", ["smélting"]),
    ("les cherry blossoms du printemps, les maples rouges de l'automne", "fr", ["cherry", "blossoms", "maples"]),
    # real French the checks once flagged: loanwords and their plurals, a species, words the French list lacks
    ("Le Centre d'alerte des tsunamis a suivi le drone au tie break, avec 90 % du lithium.", "fr", []),
    ("Même un dinosaure géant tel qu'un T. rex, du césium, des bancs de sable érodés, deux chansons nominées.",
     "fr", []),
    # French left in English, Chinese left in a Latin-script translation, English in Chinese
    ("The minister said that le gouvernement est prêt.", "en", ["le", "gouvernement", "est", "prêt"]),
    ("We can see the stars with the 肉眼 tonight.", "en", ["肉眼"]),
    ("The port of Le Havre grew.", "en", []),
    ("When asked for comment, Cristina Fernandez de Kirchner said nothing.", "en", []),
    ("这是一个 test，苹果公司 Apple 也参加了。", "zh", ["test"]),
    ("今年的 GDP 增长了 5%。", "zh", []),
    # a language with no word list: only untranslated Chinese is seen
    ("Der Hafen 港口 wuchs.", "de", ["港口"]),
])
def test_foreign_words(text, lang, expected):
    assert foreign_words(text, lang) == expected


@pytest.mark.parametrize("text, lang, names", [
    ("Le Conseil du State de Hubei et New York-Presbyterian", "fr", {"Le", "Conseil", "New", "York-Presbyterian"}),
    ("the U.S. Corps of Engineers at Addenbrooke's Hospital", "fr", {"Corps", "of", "Engineers", "Addenbrooke", "s",
                                                                     "Hospital"}),
    ("Cristina Fernandez de Kirchner and the State de Hubei", "en", {"Cristina", "Fernandez", "de", "Kirchner",
                                                                     "State", "Hubei"}),
    ("Cristina Fernandez de Kirchner", "fr", {"Cristina", "Fernandez"}),
])
def test_capitalised_runs_are_names(text, lang, names):
    assert in_name_runs(text, lang) == names

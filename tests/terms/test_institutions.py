"""Institutions and titles an English translation names with no word for them in its source."""
import pytest

from pipeline.terms.institutions import name_flags, unbacked_words, unsupported_names

HEADLINE = "湖北勾勒产业倍增“施工图” 目标五年工业规模达10万亿级"


@pytest.mark.parametrize("english, source, names", [
    ("The State Council of Hubei Province has drawn up a blueprint.", HEADLINE, ["State Council of Hubei Province"]),
    ("Hubei Province has drawn up a blueprint for industrial doubling.", HEADLINE, []),  # Province is no institution
    ("The State Council approved the plan.", "国务院批准了这项计划。", []),
    ("The Party Central Committee met.", "党中央召开会议。", []),
    ("Xinhua News Agency, Beijing, May 20.", "新华社北京5月20日电", []),
    ("Mayor Li Ming opened the park.", "李明市长为公园揭幕。", []),
    ("Governor Li Ming opened the park.", "李明市长为公园揭幕。", ["Governor Li Ming"]),
    ("The Ministry of Finance said exports rose.", "Le ministère des Finances a indiqué que les exportations ont progressé.", []),
    ("The Ministry of Finance said exports rose.", "La mairie a indiqué que les exportations ont progressé.",
     ["Ministry of Finance"]),
    ("The Constitutional Council ruled on Friday.", "Le Conseil constitutionnel a statué vendredi.", []),
    ("Liu is a member of the provincial People's Congress.", "Liu est député de l'Assemblée populaire provinciale.", []),
    ("The United States and the European Union agreed.", "Les États-Unis et l'Union européenne se sont accordés.", []),
    ("Claire Montel of the Saint-Malo Festival spoke.", "Claire Montel, du festival de Saint-Malo, a parlé.", []),
    ("The Bank of America raised rates.", "Bank of America a relevé ses taux.", []),  # written as is in the source
    ("Exports rose, two Councils said.", "出口增长。", ["Councils"]),  # the plural of a listed word
    # seen in a seeds run: Université de Nankai became a National University of Tianjin
    ("It was founded by the National University of Tianjin.", "Il a été fondé par l'Université de Nankai.",
     ["National University of Tianjin"]),
])
def test_institutions_the_source_has_no_word_for(english, source, names):
    assert unsupported_names(english, source) == names


def test_only_the_unbacked_words_of_a_name_are_given():
    assert unbacked_words("State Council of Hubei Province", "湖北省政府") == ["State", "Council"]
    assert unbacked_words("State Council of Hubei Province", "国务院") == []


def test_the_flag_names_the_name():
    assert name_flags(["State Council of Hubei Province"]) == ["unsupported-name: State Council of Hubei Province"]

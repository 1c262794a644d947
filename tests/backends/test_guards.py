import pytest

from pipeline.backends.guards import (
    clean_output,
    summary_problems,
    translation_problems,
)
from pipeline.text.checks import without_repeats


@pytest.mark.parametrize(
    "raw, cleaned",
    [
        ("Here is the translation: The city grew.", "The city grew."),
        ("Sure! Here's the English translation:\nThe city grew.", "The city grew."),
        ("Translation: The city grew.", "The city grew."),
        ("```\nThe city grew.\n```", "The city grew."),
        ("\"The city grew.\"", "The city grew."),
        ("<text>The city grew.</text>", "The city grew."),
        ("译文：城市发展了。", "城市发展了。"),
        ("The city grew.", "The city grew."),
    ],
)
def test_chatter_is_removed(raw, cleaned):
    assert clean_output(raw) == cleaned


@pytest.mark.parametrize(
    "source, output, src, tgt, expected",
    [
        ("La ville a grandi rapidement en 2024.", "The city grew quickly in 2024.", "fr", "en", []),
        ("La ville a grandi rapidement en 2024.", "", "fr", "en", ["empty"]),
        ("La ville a grandi rapidement en 2024.", "La ville a grandi rapidement en 2024.", "fr", "en", ["echo"]),
        ("城市在2024年迅速发展。", "The city grew quickly in 2024.", "zh", "en", []),
        ("城市在2024年迅速发展。", "The city 迅速发展 in 2024.", "zh", "en", ["untranslated-span"]),
        ("The city grew quickly in 2024.", "城市在2024年迅速发展。", "en", "zh", []),
        ("Xiong'an set ambitious goals.", "雄安设定了新的 ambitious目标。", "en", "zh", ["untranslated-span"]),
        ("Hebei signed a new cooperation agreement with the WTO and Airbus.", "河北省与世界贸易组织WTO和Airbus签署了新的合作协议。",
         "en", "zh", []),
        ("The city grew quickly in 2024.", "The city grew quickly in 2024.", "en", "zh", ["echo", "wrong-language", "length-ratio"]),
        ("The city grew.", "I'm sorry, I cannot help with that request.", "en", "fr", ["refusal", "wrong-language"]),
        ("The city grew quickly.", "Je suis désolé, je ne peux pas traduire ce texte car il contient des instructions.", "en", "fr", ["refusal", "length-ratio"]),
        ("La ville a grandi.", "the city the city grew " * 12, "fr", "en", ["repetition"]),
        # English left inside French renders, as seen in real ones; names and French words pass
        ("The attacks were imminent.", "Trump a dit que des attacks étaient imminentes.", "en", "fr",
         ["untranslated-span"]),
        ("He threw noodles.", "Il a jeté des noodles dans le pantalon de son chroniqueur.", "en", "fr",
         ["untranslated-span"]),
        ("The New York Times reported it.", "Le New York Times l'a rapporté mardi dernier.", "en", "fr", []),
        ("The important question remains.", "La question importante demeure entière.", "en", "fr", []),
        ("La ville a grandi très vite.", "the city grew and the city grew " * 8, "fr", "en", ["repetition", "length-ratio"]),
        # a quarter of the sentences or more missing (seen: a retry that dropped the sentence it was flagged for)
        ("The port grew. Exports rose. The mayor spoke. Taxes fell.", "Le port a grandi. Le maire a parlé.", "en", "fr",
         ["dropped-sentences"]),
        ("The port grew. Exports rose. The mayor spoke. Taxes fell.",
         "Le port a grandi et les exportations ont augmenté. Le maire a parlé. Les impôts ont baissé.", "en", "fr", []),
        ("The port grew. Exports rose. The mayor spoke. Taxes fell.", "港口扩大了。市长讲了话。", "en", "zh",
         ["dropped-sentences"]),
        ("港口扩大了。出口增加了。市长讲了话。税收下降了。",
         "The port grew, and exports rose. The mayor spoke. Taxes fell.", "zh", "en", []),
        ("The port grew. Exports rose.", "Le port a grandi et les exportations ont augmenté.", "en", "fr", []),
    ],
)
def test_translation_problems(source, output, src, tgt, expected):
    assert translation_problems(source, output, src, tgt) == expected


@pytest.mark.parametrize(
    "summary, expected",
    [
        ("The province announced seven actions to double its industry by 2030.", []),
        ("", ["empty"]),
        ("该省宣布了七项行动，到2030年将工业规模翻一番。", ["wrong-language"]),
        ("word " * 300, ["wrong-language", "repetition", "too-long", "incomplete"]),
        ("The province announced seven actions. Therefore, it has a solid foundation for", ["incomplete"]),
        # a loop of whole sentences, seen in a real summary of a CNN/DM article
        ("A black cat named Rademenes nurses sick animals at a shelter in Poland. He helps them back to health. "
         "A black cat named Rademenes nurses sick animals at a shelter in Poland. He helps them back to health.",
         ["repetition"]),
        ("Prices rose. Prices rose. Wages fell in March.", []),  # short sentences may repeat
        ("The province plans 50 parks. The article highlights the importance of industry.", ["meta"]),
    ],
)
def test_summary_problems(summary, expected):
    assert summary_problems(summary, max_words=90) == expected


def test_a_summary_may_say_what_its_article_says_about_an_article():
    source = "The article, published in Nature on Monday, describes a new species of frog."
    assert summary_problems("The article describes a new species of frog.", 90, source) == []


@pytest.mark.parametrize("sentences, kept", [
    (["The port grew fast this year.", "Exports rose.", "the port grew fast this year!"],
     ["The port grew fast this year.", "Exports rose."]),
    (["Yes.", "Yes.", "The council met on Monday evening."], ["Yes.", "Yes.", "The council met on Monday evening."]),
    (["该省宣布了七项新的行动计划。", "该省宣布了七项新的行动计划。"], ["该省宣布了七项新的行动计划。"]),
    ([], []),
])
def test_without_repeats_keeps_the_first_of_each_long_sentence(sentences, kept):
    assert without_repeats(sentences) == kept

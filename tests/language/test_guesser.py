"""The language guesser: script, fastText and lingua, with the models bundled in their wheels."""
import pytest

from pipeline.config import DetectConfig
from pipeline.language.guesser import (
    FIRST_LOOK,
    LanguageGuesser,
    _latin_only,
    decide,
    with_relatives,
)

pytestmark = pytest.mark.usefixtures("no_network")


@pytest.fixture(scope="module")
def guesser():
    loaded = LanguageGuesser(DetectConfig().languages)
    loaded.load()
    return loaded


GUESSES = [
    ("The provincial government announced new measures to support the industry.", "en"),
    ("Les responsables ont déclaré que la province soutiendrait les zones de développement.", "fr"),
    ("湖北省发布了促进开发区创新发展的若干措施。", "zh"),
    ("這是台灣的新聞，他們說經濟會持續發展。", "zh"),
    ("政府は新しい経済対策を発表しました。", "ja"),
    ("정부는 새로운 경제 대책을 발표했다.", "ko"),
    ("أعلنت الحكومة عن إجراءات اقتصادية جديدة.", "ar"),
    ("Правительство объявило о новых экономических мерах.", "ru"),
    ("Die Regierung hat neue wirtschaftliche Maßnahmen angekündigt.", "de"),
    ("El gobierno anunció nuevas medidas económicas para la región.", "es"),
    ("Il governo ha annunciato nuove misure economiche per la regione.", "it"),
    ("ECONOMIC GROWTH ACCELERATES IN THE PROVINCE", "en"),
    ("Chang Jiang Shang Bao", "en"),  # pinyin is Latin script: never zh
    ("the government", "en"),
    ("le gouvernement", "fr"),
    ("des entreprises", "fr"),
]


@pytest.mark.parametrize("text, expected", GUESSES)
def test_guess(guesser, text, expected):
    lang, score = guesser.guess(text)
    assert lang == expected
    assert 0.0 < score <= 1.0


@pytest.mark.parametrize("context", ["", "fr", "zh"])
def test_guess_many_equals_one_guess_per_text(guesser, context):
    texts = [text for text, _ in GUESSES] + ["", "2025-05-01"]
    many = guesser.guess_many(texts, context)
    one_by_one = [guesser.guess(text, context) for text in texts]
    assert [lang for lang, _ in many] == [lang for lang, _ in one_by_one]
    assert [score for _, score in many] == pytest.approx([score for _, score in one_by_one])


@pytest.mark.parametrize("text", [
    "The provincial government announced new measures to support the industry.",
    "Les responsables ont déclaré que la province soutiendrait les zones de développement.",
    "Die Regierung hat neue wirtschaftliche Maßnahmen angekündigt.",
    "El gobierno anunció nuevas medidas económicas para la región.",
])
def test_a_confident_first_look_keeps_the_label_of_a_full_read(guesser, text):
    quick = guesser.scores(text)
    full = _latin_only(guesser._fasttext(text))
    assert max(quick, key=quick.get) == max(full, key=full.get)
    assert min(quick.values()) >= FIRST_LOOK  # decided by the first look, without lingua


# Two-word pairs: French ones that read as English or Spanish to fastText alone, and pairs of the
# configured languages' relatives, which must keep their own label.
PAIRS = [
    ("situation tendue", "fr"),
    ("grande surface", "fr"),
    ("entre les", "fr"),
    ("la honte", "fr"),
    ("rapport annuel", "fr"),
    ("en cours", "fr"),
    ("selon lui", "fr"),
    ("the city", "en"),
    ("final report", "en"),
    ("sales rose", "en"),
    ("el gobierno", "es"),
    ("los precios", "es"),
    ("il governo", "it"),
    ("della città", "it"),
    ("da cidade", "pt"),
    ("die Stadt", "de"),
    ("der Markt", "de"),
    ("het land", "nl"),
]


@pytest.mark.parametrize("text, expected", PAIRS)
def test_two_word_pairs(guesser, text, expected):
    assert guesser.guess(text)[0] == expected


@pytest.mark.parametrize("text, fasttext_alone", [
    ("situation tendue", "en"), ("grande surface", "en"), ("entre les", "ca"), ("la honte", "es"),
])
def test_lingua_decides_french_pairs_that_fasttext_misreads(guesser, text, fasttext_alone):
    found = _latin_only(guesser._fasttext(text))
    assert max(found, key=found.get) == fasttext_alone
    assert guesser.guess(text)[0] == "fr"


@pytest.mark.parametrize("languages, expected", [
    ({"en", "fr"}, {"af", "de", "en", "nl", "ca", "es", "fr", "it", "pt", "ro"}),
    (["sv"], {"da", "nb", "nn", "sv"}),
    ({"en", "pl"}, {"af", "de", "en", "nl", "bs", "cs", "hr", "pl", "sk", "sl"}),
    ({"fi"}, {"fi"}),
    (set(), set()),
])
def test_with_relatives(languages, expected):
    assert with_relatives(languages) == expected


def test_no_letters_is_undetermined(guesser):
    assert guesser.guess("2025-05-01 00:03 !!") == ("und", 0.0)


@pytest.mark.parametrize("scores, prior, expected", [
    ({"en": 0.5, "fr": 0.3}, None, ("en", 0.5)),
    ({"en": 0.4, "fr": 0.4}, {"fr": 3.0}, ("fr", 1.2 / 1.8)),
    ({}, {"en": 2.0}, ("und", 0.0)),
])
def test_decide(scores, prior, expected):
    lang, score = decide(scores, prior)
    assert (lang, score) == (expected[0], pytest.approx(expected[1]))


def test_guesser_loads_on_first_use():
    guesser = LanguageGuesser(["en", "fr", "zh"])
    assert guesser.guess("The government announced new measures today.")[0] == "en"

"""Language identification accuracy, confusion matrix and the project's detector."""
import time

import pytest

from pipeline.evaluate import lid

SENTENCES = {
    "en": ["The weather is lovely today.", "Parliament passed the new budget on Tuesday.", "Where is the station?"],
    "fr": ["Il fait très beau aujourd'hui.", "Le parlement a adopté le budget mardi.", "Où est la gare ?"],
    "zh": ["今天天气很好。", "议会周二通过了新预算。"],
}


@pytest.fixture
def folder(tmp_path):
    for lang, lines in SENTENCES.items():
        (tmp_path / f"{lang}.txt").write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    return tmp_path


def by_script(texts):
    """A real if crude detector: Han characters mean zh, an accent or 'la' means fr, else en."""
    labels = []
    for text in texts:
        if any("\u4e00" <= c <= "\u9fff" for c in text):
            labels.append("zh")
        elif any(c in "éèàùç" for c in text) or " la " in f" {text.lower()} ":
            labels.append("fr")
        else:
            labels.append("en")
    return labels


def test_read_folder_skips_blank_lines_and_selects_languages(folder):
    assert lid.read_folder(folder) == SENTENCES
    assert list(lid.read_folder(folder, ["zh"])) == ["zh"]
    with pytest.raises(ValueError, match="no file for de"):
        lid.read_folder(folder, ["de"])


def test_score_counts_accuracy_and_confusions(folder):
    results = lid.score(lid.read_folder(folder), by_script, batch_size=2)
    # "Le parlement a adopté" has an accent; "Où est la gare ?" has "la"; all French found
    assert results["per_language"] == {"en": 1.0, "fr": 1.0, "zh": 1.0}
    wrong = lid.score({"fr": ["Bonjour monsieur"]}, by_script)
    assert wrong["confusion"] == {"fr": {"en": 1}} and wrong["accuracy"] == 0.0
    assert results["sentences"] == 8 and results["sentences_per_second"] > 0


def test_the_first_pass_pays_for_what_loads_on_first_use(folder):
    loaded = []

    def lazy(texts):
        if not loaded:  # a model loaded on first use, as lingua's per-language models are
            time.sleep(0.2)
            loaded.append(True)
        return by_script(texts)

    results = lid.score(lid.read_folder(folder), lazy)
    assert results["first_pass_sentences_per_second"] < 8 / 0.2 < results["sentences_per_second"]
    assert results["per_language"] == {"en": 1.0, "fr": 1.0, "zh": 1.0}


def test_a_detector_returning_too_few_labels_is_refused(folder):
    with pytest.raises(ValueError, match="returned 1 labels for 3 en sentences"):
        lid.score({"en": SENTENCES["en"]}, lambda texts: ["en"])


def test_project_detector_labels_each_sentence():
    detect = lid.project_detector()
    assert detect([SENTENCES["en"][1], SENTENCES["fr"][1], SENTENCES["zh"][1]]) == ["en", "fr", "zh"]

"""What the document views say of a document's problems: the badges of the index."""
from __future__ import annotations

from pipeline.publish.views import badges
from pipeline.records import Document, Sentence


def test_lost_terms_numbers_and_names_get_one_badge_in_every_reader_language():
    doc = Document(doc_id="d", text="", sentences=[
        Sentence(0, 0, "Le PIB a crû de 5 %.", "fr", 0.99, "Output grew 3%.", 0.9,
                 ["glossary-miss: GDP", "number-mismatch: 5 % vs 3%"])],
        flags=["name-inconsistent: Pékin -> Beijing / Peking", "render-fr-glossary-miss: PIB"])
    found = {badge["text"]: badge["words"] for badge in badges(doc, 0.5)}
    assert set(found) == {"3 terms, numbers or names to check", "1 output guard flag"}
    assert [word["text"] for word in found["3 terms, numbers or names to check"]] == [
        "3 terms, numbers or names to check", "3 termes, nombres ou noms à vérifier", "3 处术语、数字或名称待核对"]

"""What the summarize stage keeps of a model's summary: unfinished and repeated sentences are dropped, and said."""
import pytest

from pipeline.config import load_config
from pipeline.records import Document
from pipeline.stages.summarize import Summarize

LOOP = ("A black cat named Rademenes nurses sick animals at a shelter in Poland. He helps them back to health. "
        "A black cat named Rademenes nurses sick animals at a shelter in Poland. He helps them back to health.")


@pytest.mark.parametrize("summary, kept, flag", [
    (LOOP, ["A black cat named Rademenes nurses sick animals at a shelter in Poland.",
            "He helps them back to health."], "summary-dropped-repeated-sentences: 2"),
    ("The council met on Monday. It approved the budget for", ["The council met on Monday."],
     "summary-dropped-unfinished-sentence: It approved the budget for"),
    ("Prices rose. Prices rose. Wages fell in March.", ["Prices rose.", "Prices rose.", "Wages fell in March."], None),
])
def test_the_stored_summary_drops_what_a_reader_should_not_see_and_flags_it(summary, kept, flag):
    doc = Document(doc_id="d", text="")
    Summarize(load_config("default"))._set(doc, summary, [], "direct")
    assert doc.summary == kept
    assert (flag in doc.flags) if flag else not doc.flags

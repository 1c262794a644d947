"""Summary sentences about "the article" instead of its news, in English, French and Chinese."""
import pytest

from pipeline.text.checks import meta_sentence


@pytest.mark.parametrize("sentence, meta", [
    ("The article discusses the province's new industrial plan.", True),
    ("This text highlights the importance of regional cooperation.", True),
    ("In the article, the author argues that prices will rise.", True),
    ("According to the article, 12 people were injured.", True),
    ("The news story describes a fire in Lyon.", True),
    ("Overall, the passage provides an overview of the reforms.", True),
    ("It also mentions a roller coaster in Charlotte, North Carolina.", True),
    ("It mentioned in March that profits had fallen.", False),
    ("Hubei will build 50 industrial parks by 2027, the provincial government said.", False),
    ("A UN report said 12 people died in the floods.", False),
    ("She sent the text message at 5pm.", False),
    ("The government invoked article 49.3 to pass the budget.", False),
    ("L'article aborde la réforme des retraites.", True),
    ("Le texte met en lumière les difficultés des agriculteurs.", True),
    ("Selon l'auteur, la croissance ralentira.", True),
    ("Dans cet article, le journaliste revient sur la grève.", True),
    ("Le gouvernement a utilisé l'article 49.3 pour faire adopter le budget.", False),
    ("La mairie de Lyon a annoncé mardi la fermeture du pont.", False),
    ("文章讨论了湖北省的新产业政策。", True),
    ("本文介绍了长江经济带的发展。", True),
    ("这篇报道强调了区域合作的重要性。", True),
    ("湖北省计划到2027年建成50个产业园区。", False),
    ("他们在这个问题上大做文章。", False),
])
def test_meta_sentences_are_told_from_news(sentence, meta):
    assert meta_sentence(sentence) is meta


def test_a_phrase_the_source_itself_uses_is_news():
    source = "The author of the best-selling novel, Jane Doe, said on Monday that she would stop writing."
    assert not meta_sentence("The author said she would stop writing.", source)
    assert meta_sentence("The author said she would stop writing.", "Jane Doe said she would stop writing.")

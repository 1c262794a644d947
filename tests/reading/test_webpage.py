"""The article's blocks and metadata from a web page."""
from pipeline.reading.webpage import html_blocks

PAGE = """<!DOCTYPE html><html lang="fr"><head>
<title>Titre long | Le Site</title>
<meta property="og:site_name" content="Le Site">
<meta name="date" content="2024-05-06">
<style>p { color: red }</style><script>var x = "<p>not text</p>";</script>
</head><body>
<header><nav><a href="/">Accueil</a> | <a href="/eco">Économie</a></nav></header>
<div class="share-bar"><div>Partager</div><div>Tweeter</div></div>
<p>Texte hors article</p>
<article>
  <h1>Le port double son trafic</h1>
  <p>Le trafic a doublé en six mois&nbsp;: 12&nbsp;000 navires &amp; 3&nbsp;ferries.</p>
  <p>Une ligne<br>coupée.
  <table><tr><th>Année</th><th>Navires</th></tr><tr><td>2024</td><td>12 000</td></tr></table>
  <aside>Publicité</aside>
</article>
<footer>© 2024 Le Site</footer>
</body></html>"""


def test_html_keeps_the_article_and_its_metadata():
    found, extra, blocks = html_blocks(PAGE)
    assert found == {"title": "Le port double son trafic", "date": "2024-05-06", "source": "Le Site"}
    assert extra == {"lang": "fr"}
    assert blocks == [
        "Le port double son trafic",
        "Le trafic a doublé en six mois : 12 000 navires & 3 ferries.",  # entities decoded, spaces made one kind
        "Une ligne",
        "coupée.",
        "Année | Navires",
        "2024 | 12 000",
    ]


def test_html_without_article_keeps_all_blocks_but_page_furniture():
    found, _, blocks = html_blocks("<html><head><title>Only title</title></head><body><nav>Menu</nav>"
                                   "<p>First.</p><div id='footer'>Bottom</div><p>Second.</p></body></html>")
    assert found["title"] == "Only title"
    assert blocks == ["First.", "Second."]

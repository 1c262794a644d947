from pipeline.run.store import RunStore, content_key


def test_results_survive_reopening(tmp_path):
    store = RunStore(tmp_path / "store.sqlite")
    key = content_key({"model": "m"}, {"doc_id": "a", "text": "x"})
    store.put_many("detect", [(key, [{"doc_id": "a", "lang": "fr"}])])
    store.close()
    reopened = RunStore(tmp_path / "store.sqlite")
    assert reopened.get("detect", key) == [{"doc_id": "a", "lang": "fr"}]
    assert reopened.get("translate", key) is None


def test_key_depends_on_signature_and_content():
    base = content_key({"model": "m"}, {"text": "x"})
    assert base == content_key({"model": "m"}, {"text": "x"})
    assert base != content_key({"model": "n"}, {"text": "x"})
    assert base != content_key({"model": "m"}, {"text": "y"})


def test_a_failed_transaction_stores_nothing(tmp_path):
    store = RunStore(tmp_path / "store.sqlite")
    try:
        store.put_many("detect", [("k1", [{"doc_id": "a"}]), ("k2", [{"doc_id": object()}])])
    except TypeError:
        pass
    assert store.get("detect", "k1") is None

"""The Ray engine against the local one: same store, same failures, same bytes, on a local 2-CPU Ray instance.

The models are the tiny random Qwen2 of `tiny.llm` (outputs are noise; the mechanics are real).
"""
import json
from pathlib import Path

import pytest

pytest.importorskip("ray", reason="the Ray engine needs the ray[data] extra")

import pyarrow as pa  # noqa: E402
from tiny.llm import build_tiny_llm, write_tiny_manifest  # noqa: E402

from pipeline.config import Config, load_config  # noqa: E402
from pipeline.records import Document, Sentence  # noqa: E402
from pipeline.run import ray_engine, runner  # noqa: E402
from pipeline.run.runner import StageReport, process_isolated  # noqa: E402
from pipeline.stages.detect import Detect  # noqa: E402
from pipeline.stages.summarize import Summarize  # noqa: E402

TINY = ["translate.model=tiny-llm", "summarize.model=tiny-llm", "translate.engine=hf", "summarize.engine=hf",
        "translate.generation.max_new_tokens=8", "summarize.generation.max_new_tokens=12"]
TWO_ACTORS = [f"ray.{stage}.concurrency=2" for stage in ("detect", "translate", "summarize", "align", "output")]
ARTICLES = {
    "fr.md": "---\ntitle: Le port investit\n---\nLe port de Marseille investit 40 millions d'euros."
             " Les travaux commenceront en mai.\n\nLa ville attend 300 emplois nouveaux.",
    "zh.txt": "新能源汽车销量增长\n\n今年一季度，该省新能源汽车销量同比增长百分之三十。专家认为，增长势头将持续。",
    "en.md": "# Rail link approved\n\nThe council approved the rail link on Monday. Work starts next year.",
    "mixed.txt": "Provincial plan\n\n湖北发布产业倍增行动方案\n\nHubei set goals for 2027 and 2030. The plan lists seven actions.",
    "sub/copy.md": "# Rail link approved\n\nThe council approved the rail link on Monday. Work starts next year.",
    "broken.txt": b"\x00\x01\x02\xff\xfe binary \x00\x00",
    "empty.md": "   \n\n",
}
GOOD = ["Le conseil a voté le budget hier soir.", "The council voted on the budget last night.", "市议会昨晚通过了预算。"]


@pytest.fixture(scope="module")
def ray_local():
    import ray

    ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR")
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def tiny_root(tmp_path_factory):
    """Manifests only: `tiny-llm` (its weights come from `tiny_model`) and `tiny-missing`, which cannot load."""
    root = tmp_path_factory.mktemp("tiny-llm")
    write_tiny_manifest(root / "manifests", root / "model")
    write_tiny_manifest(root / "manifests", root / "not-there", name="tiny-missing")
    return root


@pytest.fixture(scope="module")
def tiny_model(tiny_root):
    return build_tiny_llm(tiny_root / "model")


@pytest.fixture
def config(tiny_root, tmp_path, monkeypatch):
    """Settings the Ray workers only see if the engine forwards them (the instance started before they were set)."""
    monkeypatch.setenv("DIGEST_MODELS", str(tiny_root / "manifests"))
    monkeypatch.setenv("DIGEST_HOME", str(tmp_path / "home"))
    return lambda *extra: load_config("default", TINY + list(extra))


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    for name, content in ARTICLES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
    return folder


def outputs(out: Path) -> dict[str, bytes]:
    """Every file a run wrote, by path relative to its output folder (the store aside; run.json without its
    report, whose seconds and memory are measurements of the run, not outputs)."""
    found = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
             if p.is_file() and not p.name.startswith("store.sqlite")}
    if "run.json" in found:
        run = json.loads(found["run.json"])
        assert set(run.pop("report")) >= {"seconds", "stages", "budget_hits"}
        found["run.json"] = json.dumps(run, sort_keys=True).encode()
    return found


def counts(report) -> dict[str, tuple[int, int, int]]:
    return {s.name: (s.processed, s.reused, s.failed) for s in report.stages}


@pytest.mark.parametrize("texts", [GOOD, [GOOD[0], None, GOOD[2]], [None, None]],
                         ids=["all-good", "one-bad", "all-bad"])
def test_a_worker_isolates_failures_like_the_local_engine(texts):
    docs = [Document(doc_id=f"d{i}", text=text) for i, text in enumerate(texts)]
    rows = [{"batch": 0, "position": i, "record": ray_engine.encode_item(doc)} for i, doc in enumerate(docs)]
    worker = ray_engine.StageWorker(Detect(Config()), str(Path.cwd()))
    got = worker(pa.Table.from_pylist(rows)).to_pylist()
    local_stage = Detect(Config())
    local_stage.load()
    expected = process_isolated(local_stage, [Document(doc_id=f"d{i}", text=t) for i, t in enumerate(texts)],
                                StageReport("detect"))
    assert [row["position"] for row in got] == list(range(len(texts))) and all(row["loaded"] for row in got)
    assert [row["outputs"] for row in got] == [ray_engine.encode_documents(d) for d in expected]
    failed = [d.doc_id for docs in expected for d in docs if d.failed]
    assert failed == [f"d{i}" for i, t in enumerate(texts) if t is None]
    assert ray_engine.count_failed("detect", expected) == len(failed)


def test_a_worker_whose_model_cannot_load_fails_its_documents(config):
    stage = Summarize(config("summarize.model=tiny-missing"))
    worker = ray_engine.StageWorker(stage, str(Path.cwd()))
    [[doc]] = worker.process([Document(doc_id="a", text="x", sentences=[Sentence(0, 0, "x", "en", 1.0, "x")])])
    assert doc.failed_stage == "summarize" and doc.error.startswith("could not load summarize models: ")
    assert "tiny-missing" in doc.error and "digest models" in doc.error


@pytest.mark.parametrize("item", [
    Path("corpus/a b/1.md"), Path("/abs/新闻.txt"),
    Document(doc_id="x", text="Le port.", meta={"row": 3}, languages={"fr": 8}, sentences=[
        Sentence(0, 0, "Le port.", "fr", 0.99, "The port.", 0.8123, ["low-quality"])]),
])
def test_records_cross_to_workers_unchanged(item):
    back = ray_engine.decode_item(ray_engine.encode_item(item))
    assert back == item and type(back) is type(item)


@pytest.mark.parametrize("override, problem", [
    ("ray.ingest.concurrency=2", "ray.ingest.concurrency must be 1"),
    ("ray.translate.concurrency=0", "ray.translate: concurrency must be >= 1"),
    ("ray.align.batch_size=-1", "ray.align: concurrency must be >= 1"),
    ("ray.summarize.num_gpus=-1", "ray.summarize: concurrency must be >= 1"),
])
def test_settings_that_cannot_work_are_refused_before_start(override, problem):
    with pytest.raises(ValueError, match=problem):
        ray_engine.check_settings(load_config("default", [override]).ray)


def test_workers_get_the_drivers_model_cache_and_manifests(config, tiny_root, tmp_path):
    env = ray_engine.worker_env(config("ray.env={HF_HOME: /shared/hf}").ray)["env_vars"]
    assert env["DIGEST_HOME"] == str((tmp_path / "home").resolve())
    assert env["DIGEST_MODELS"] == str(tiny_root / "manifests")
    assert env["HF_HOME"] == "/shared/hf"


@pytest.mark.parametrize("stage, pinned", [("ingest", True), ("detect", False), ("translate", False),
                                           ("summarize", False), ("align", False), ("output", True)])
def test_only_stages_that_touch_files_are_kept_on_the_drivers_node(ray_local, stage, pinned):
    expected = {"label_selector": {"ray.io/node-id": ray_local.get_runtime_context().get_node_id()}}
    assert ray_engine.placement(stage) == (expected if pinned else {})


def test_ingest_and_detect_on_ray_match_the_local_engine(ray_local, corpus, config, tmp_path):
    local = runner.run(corpus, tmp_path / "local", config(), until="detect", progress=False)
    on_ray = ray_engine.run(corpus, tmp_path / "ray", config(*TWO_ACTORS), until="detect", progress=False)
    assert [d.to_dict() for d in on_ray.documents] == [d.to_dict() for d in local.documents]
    assert counts(on_ray) == counts(local) == {"ingest": (7, 0, 2), "detect": (5, 0, 0)}
    again = ray_engine.run(corpus, tmp_path / "ray", config(), until="detect", progress=False)
    assert counts(again)["detect"] == (0, 5, 0)


@pytest.mark.slow
@pytest.mark.parametrize("extra", [[], TWO_ACTORS, ["summarize.model=tiny-missing"]],
                         ids=["one-actor", "two-actors", "summarize-cannot-load"])
def test_a_ray_run_writes_the_same_bytes_as_a_local_run(ray_local, tiny_model, corpus, config, tmp_path, extra):
    local = runner.run(corpus, tmp_path / "local", config(*extra), progress=False)
    on_ray = ray_engine.run(corpus, tmp_path / "ray", config(*extra), progress=False)
    written = outputs(tmp_path / "ray")
    assert written == outputs(tmp_path / "local")
    assert len(written["digests.jsonl"].splitlines()) == len(ARTICLES)
    assert counts(on_ray) == counts(local)
    statuses = [json.loads(line)["status"] for line in written["digests.jsonl"].splitlines()]
    assert statuses.count("failed") == (7 if "summarize.model=tiny-missing" in extra else 2)


@pytest.mark.slow
def test_a_ray_run_resumes_from_what_the_store_holds(ray_local, tiny_model, corpus, config, tmp_path):
    runner.run(corpus, tmp_path / "out", config(), until="translate", progress=False)
    broken = ray_engine.run(corpus, tmp_path / "out", config("summarize.model=tiny-missing"), progress=False)
    assert counts(broken)["translate"] == (0, 5, 0) and counts(broken)["summarize"] == (0, 0, 5)
    fixed = ray_engine.run(corpus, tmp_path / "out", config(), progress=False)
    assert counts(fixed)["translate"] == (0, 5, 0) and counts(fixed)["summarize"] == (5, 0, 0)
    again = ray_engine.run(corpus, tmp_path / "out", config(), progress=False)
    assert {k: v for k, v in counts(again).items() if k in ("detect", "translate", "summarize", "align")} == {
        "detect": (0, 5, 0), "translate": (0, 5, 0), "summarize": (0, 5, 0), "align": (0, 5, 0)}

"""Does a change keep outputs the same? The tiny-model end-to-end run and every stage signature, at two revisions.

Runs the bundled sample corpus through every stage with the tiny random Qwen2 of
tests/tiny (untied output layer, so it writes non-empty noise), on the HF engine
and on CTranslate2, once with the code of git revision REV (a temporary worktree)
and once with this checkout, each in a fresh interpreter. Then it compares the
`digests.jsonl` of each engine, the `run.json`, every per-document file, and the
signature of every stage under every bundled config. A refactor must show "same"
on every line.

    python benchmarks/same_outputs.py --baseline 8095df6
"""
from __future__ import annotations

import argparse
import filecmp
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ("default", "fast", "hub-seq2seq", "hub-nllb")
TINY = ["translate.model=tiny-llm", "summarize.model=tiny-llm", "translate.engine=hf", "summarize.engine=hf",
        "translate.generation.max_new_tokens=8", "summarize.generation.max_new_tokens=12", "run.threads=1"]

# Run in the child with the revision's code first on sys.path. Before the folder layout (issue 12) the runner
# was `pipeline.runner`; after it, `pipeline.run.runner`.
CHILD = """
import json, sys
from pathlib import Path
from pipeline.config import load_config
try:
    from pipeline.run.runner import build_stages, run, stages_until
except ImportError:
    from pipeline.runner import build_stages, run, stages_until
corpus, out, tiny, configs = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4].split(",")
for engine in ("hf", "ct2"):
    overrides = [o.replace("engine=hf", f"engine={engine}") for o in tiny]
    run(corpus, out / engine, load_config("default", overrides), progress=False)
signatures = {name: {s.name: s.signature() for s in build_stages(stages_until("output"), load_config(name), corpus,
                                                                  out / "unused")} for name in configs}
(out / "signatures.json").write_text(json.dumps(signatures, sort_keys=True, indent=1, default=str))
"""


def tiny_model(work: Path) -> Path:
    """The folder of manifests naming the tiny model (built once under `work`)."""
    sys.path.insert(0, str(ROOT / "tests"))  # the tiny-model builders live with the tests
    import torch
    from tiny.llm import build_tiny_llm, write_tiny_manifest
    from transformers import AutoModelForCausalLM

    folder = build_tiny_llm(work / "tiny-llm")
    model = AutoModelForCausalLM.from_pretrained(folder)
    model.config.tie_word_embeddings = False  # tied, a random model repeats its last token: empty outputs
    torch.manual_seed(1)
    model.lm_head = torch.nn.Linear(model.config.hidden_size, model.config.vocab_size, bias=False)
    torch.nn.init.normal_(model.lm_head.weight, std=0.5)
    model.save_pretrained(folder, safe_serialization=True)
    return write_tiny_manifest(work / "manifests", folder, max_input_tokens=512).parent


def run_at(code: Path, out: Path, manifests: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(code), "DIGEST_MODELS": str(manifests), "HF_HUB_OFFLINE": "1"}
    subprocess.run([sys.executable, "-c", CHILD, str(ROOT / "corpus"), str(out), json.dumps(TINY), ",".join(CONFIGS)],
                   cwd=code, env=env, check=True, stdout=subprocess.DEVNULL)


def compare(before: Path, after: Path) -> list[tuple[str, bool]]:
    """(what, same) for every output the two runs wrote."""
    rows = []
    for engine in ("hf", "ct2"):
        for name in ("digests.jsonl", "run.json"):
            rows.append((f"{engine}: {name}", filecmp.cmp(before / engine / name, after / engine / name, shallow=False)))
        folders = (before / engine / "digests", after / engine / "digests")
        names = sorted({p.name for folder in folders for p in folder.iterdir()})
        same = all((f / n).is_file() for f in folders for n in names) and \
            all(filecmp.cmp(folders[0] / n, folders[1] / n, shallow=False) for n in names)
        rows.append((f"{engine}: {len(names)} digest files", same))
    signatures = [json.loads((side / "signatures.json").read_text()) for side in (before, after)]
    rows += [(f"stage signatures, config {name}", signatures[0][name] == signatures[1][name]) for name in CONFIGS]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="git revision whose outputs the checkout must repeat")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="digest-same-") as temp:
        work = Path(temp)
        subprocess.run(["git", "worktree", "add", "--detach", str(work / "baseline"), args.baseline], cwd=ROOT,
                       check=True, capture_output=True)
        try:
            manifests = tiny_model(work)
            run_at(work / "baseline", work / "before", manifests)
            run_at(ROOT, work / "after", manifests)
            rows = compare(work / "before", work / "after")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(work / "baseline")], cwd=ROOT, check=False)
    for what, same in rows:
        print(f"{'same   ' if same else 'DIFFERS'}  {what}")
    print(f"outputs against {args.baseline}: {'all the same' if all(s for _, s in rows) else 'some differ'}")
    sys.exit(0 if all(s for _, s in rows) else 1)


if __name__ == "__main__":
    main()

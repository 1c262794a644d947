"""The bundled LLM's own likelihood of a translation: a prefill, no decoding.

Forward: mean log-probability of the translation's tokens (and the end of the
turn) given the backend's translation prompt of the source, its worked examples
left out (they would double the tokens to score and change little: the
instructions stay). Backward: the same for the source given the prompt that
translates the translation back, where omissions and additions show. Both are divided by the tokens scored, so long
and short sentences compare. CTranslate2 scores with `Generator.score_batch`
(batches budgeted in tokens); transformers with one forward pass per batch.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
from pathlib import Path

from pipeline.backends.llm_ct2 import TURN_START

TOKEN_BUDGET = 4096  # tokens per CTranslate2 scoring batch: several sentences, a bounded activation size
SURPRISE = -3.0  # a token the model gives less than e^-3 (5%) surprises it
LLM_FEATURES = ("forward", "backward", "forward_surprise", "backward_surprise")
CACHE_CHUNK = 64  # pairs scored between two writes of the cache file

log = logging.getLogger("digest.quality")


class Likelihood:
    """Mean token log-probabilities of continuations under a loaded LLM backend's translation prompts."""

    def __init__(self, backend):
        self.backend = backend
        self.tokenizer = backend.tokenizer

    def forward(self, sources: list[str], translations: list[str], source_lang: str, target_lang: str) -> list[float]:
        """log p(translation | prompt translating the source), per translation token."""
        return [mean(steps) for steps in self.forward_tokens(sources, translations, source_lang, target_lang)]

    def backward(self, sources: list[str], translations: list[str], source_lang: str, target_lang: str) -> list[float]:
        """log p(source | prompt translating the translation back), per source token."""
        return [mean(steps) for steps in self.backward_tokens(sources, translations, source_lang, target_lang)]

    def forward_tokens(self, sources, translations, source_lang, target_lang) -> list[list[float]]:
        """The log-probability of each token of each translation (and its end of turn), given the source."""
        return self.token_scores(self.prompts(sources, source_lang, target_lang), translations)

    def backward_tokens(self, sources, translations, source_lang, target_lang) -> list[list[float]]:
        """The log-probability of each token of each source (and its end of turn), given the translation."""
        return self.token_scores(self.prompts(translations, target_lang, source_lang), sources)

    def prompts(self, texts: list[str], source_lang: str, target_lang: str) -> list[str]:
        """The backend's translation prompts without their worked examples: half the tokens to score."""
        return [without_examples(p) for p in self.backend.translation_prompts(texts, source_lang, target_lang)]

    def token_scores(self, prompts: list[str], continuations: list[str]) -> list[list[float]]:
        """The log-probability of each token of each continuation (its end-of-turn token last)."""
        return self._tails([self._ids(prompt, text) for prompt, text in zip(prompts, continuations)])

    def _ids(self, prompt: str, text: str) -> tuple[list[int], list[int]]:
        """Prompt and continuation token ids, tokenized apart so the boundary is exact."""
        encode = self.tokenizer
        head = encode(prompt, add_special_tokens=False)["input_ids"]
        tail = encode(text.strip(), add_special_tokens=False)["input_ids"] + [self._end_id()]
        return head, tail

    def _end_id(self) -> int:
        return self.tokenizer.convert_tokens_to_ids(self.tokenizer.eos_token)

    def _tails(self, pairs: list[tuple[list[int], list[int]]]) -> list[list[float]]:
        """The log-probability of each tail token after its head: the engine's part."""
        raise NotImplementedError


def mean(steps: list[float]) -> float:
    """The mean token log-probability: sentences of any length compare."""
    return math.fsum(steps) / len(steps)


def surprise(steps: list[float]) -> float:
    """Minus the log-probability mass below SURPRISE: local errors show here even in a long, fluent sentence."""
    return math.fsum(min(0.0, step - SURPRISE) for step in steps)


def likelihood_features(likelihood, names: tuple[str, ...], sources: list[str], translations: list[str],
                        source_lang: str, target_lang: str) -> dict[str, list[float]]:
    """The LLM features among `names`, each direction scored once and only if one of them needs it."""
    found = {}
    for direction in ("forward", "backward"):
        wanted = [n for n in names if n.startswith(direction)]
        if wanted:
            steps = getattr(likelihood, f"{direction}_tokens")(sources, translations, source_lang, target_lang)
            for name in wanted:
                found[name] = [(surprise if name.endswith("_surprise") else mean)(s) for s in steps]
    return found


def without_examples(prompt: str) -> str:
    """A chat prompt with only its first turn (the instructions) and its last request: the worked examples
    between them go. A prompt without ChatML turns is kept whole."""
    turns = prompt.split(TURN_START)
    if len(turns) <= 4:  # what comes before the turns, instructions, request, reply: nothing to drop
        return prompt
    return TURN_START.join(turns[:2] + turns[-2:])


class CT2Likelihood(Likelihood):
    """Scores with CTranslate2's `Generator.score_batch` (sorted, token-budgeted batches)."""

    def _tails(self, pairs):
        if not pairs:
            return []
        tokens = [self.tokenizer.convert_ids_to_tokens(head + tail) for head, tail in pairs]
        results = self.backend.model.score_batch(tokens, max_batch_size=TOKEN_BUDGET, batch_type="tokens",
                                                 max_input_length=0)
        # log_probs[i] is the log-probability of tokens[i + 1]: the tail is the last len(tail) entries
        return [list(result.log_probs[-len(tail):]) for result, (_, tail) in zip(results, pairs)]


class HFLikelihood(Likelihood):
    """Scores with one transformers forward pass per batch, left-padded, logits kept for the tails only."""

    def _tails(self, pairs):
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        tails: list[list[float]] = [[] for _ in pairs]
        size = max(1, self.backend.role_config.batch_size)
        for start in range(0, len(order), size):
            batch = order[start:start + size]
            for index, steps in zip(batch, self._batch_tails([pairs[i] for i in batch])):
                tails[index] = steps
        return tails

    def _batch_tails(self, pairs) -> list[list[float]]:
        import torch

        rows = [head + tail for head, tail in pairs]
        width, keep = max(map(len, rows)), max(len(tail) for _, tail in pairs)
        pad = self.tokenizer.pad_token_id
        ids = torch.tensor([[pad] * (width - len(row)) + row for row in rows], device=self.backend.device)
        mask = torch.tensor([[0] * (width - len(row)) + [1] * len(row) for row in rows], device=ids.device)
        positions = (mask.cumsum(-1) - 1).clamp(min=0)
        with torch.inference_mode():
            logits = self.backend.model(input_ids=ids, attention_mask=mask, position_ids=positions,
                                        logits_to_keep=keep + 1).logits.float()
        logprobs = torch.log_softmax(logits[:, :-1], dim=-1)  # position j predicts token j + 1
        targets = ids[:, -keep:]
        picked = logprobs.gather(-1, targets.unsqueeze(-1)).squeeze(-1)
        return [picked[row, keep - len(tail):].tolist() for row, (_, tail) in enumerate(pairs)]


def likelihood_for(backend) -> Likelihood:
    """The scorer that fits a loaded LLM backend's engine."""
    from pipeline.backends.llm import LLMBackend
    from pipeline.backends.llm_ct2 import CT2LLMBackend

    if isinstance(backend, CT2LLMBackend):
        return CT2Likelihood(backend)
    if isinstance(backend, LLMBackend):
        return HFLikelihood(backend)
    raise TypeError(f"{type(backend).__name__}: likelihood features need an LLM backend (llm or llm-ct2)")


class CachedLikelihood:
    """A likelihood scorer whose scores are kept in a JSONL file, so a stopped evaluation resumes where it was.

    Keys hash the scorer's model signature, the direction and both texts: a
    different model or prompt never reads another's scores."""

    def __init__(self, underlying: Likelihood, path: Path):
        self.underlying, self.path = underlying, Path(path)
        self.backend = underlying.backend
        self.identity = json.dumps(underlying.backend.signature(), sort_keys=True, default=str)
        self.scores: dict[str, list[float]] = {}
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    self.scores[row["key"]] = row["score"]

    def forward(self, sources, translations, source_lang, target_lang) -> list[float]:
        """As `Likelihood.forward`, from the file where it was scored before."""
        return [mean(steps) for steps in self.forward_tokens(sources, translations, source_lang, target_lang)]

    def backward(self, sources, translations, source_lang, target_lang) -> list[float]:
        """As `Likelihood.backward`, from the file where it was scored before."""
        return [mean(steps) for steps in self.backward_tokens(sources, translations, source_lang, target_lang)]

    def forward_tokens(self, sources, translations, source_lang, target_lang) -> list[list[float]]:
        """As `Likelihood.forward_tokens`, from the file where it was scored before."""
        return self._cached("forward", sources, translations, source_lang, target_lang)

    def backward_tokens(self, sources, translations, source_lang, target_lang) -> list[list[float]]:
        """As `Likelihood.backward_tokens`, from the file where it was scored before."""
        return self._cached("backward", sources, translations, source_lang, target_lang)

    def _cached(self, direction, sources, translations, source_lang, target_lang) -> list[list[float]]:
        keys = [self._key(direction, s, t, source_lang, target_lang) for s, t in zip(sources, translations)]
        first: dict[str, int] = {}  # a pair asked twice is scored once
        for index, key in enumerate(keys):
            if key not in self.scores:
                first.setdefault(key, index)
        todo = list(first.values())
        for start in range(0, len(todo), CACHE_CHUNK):
            chunk = todo[start:start + CACHE_CHUNK]
            found = getattr(self.underlying, f"{direction}_tokens")(
                [sources[i] for i in chunk], [translations[i] for i in chunk], source_lang, target_lang)
            with self.path.open("a", encoding="utf-8") as out:
                for index, score in zip(chunk, found):
                    self.scores[keys[index]] = score
                    out.write(json.dumps({"key": keys[index], "score": score}) + "\n")
            log.info("%s likelihood: %d of %d scored", direction, start + len(chunk), len(todo))
        return [self.scores[key] for key in keys]

    def _key(self, direction, source, translation, source_lang, target_lang) -> str:
        text = json.dumps([self.identity, direction, source_lang, target_lang, source, translation])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

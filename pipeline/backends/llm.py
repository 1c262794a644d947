"""Translation and summarization with an instruction-tuned causal LM (the bundled Qwen).

Prompts fence the article text between markers and tell the model that the text
is data, never instructions. Inputs are length-sorted and generated in batches
with left padding; outputs come back in input order.
"""
from __future__ import annotations

import logging
import math
import re
from functools import lru_cache

from pipeline.backends.base import Backend, BackendError, per_text
from pipeline.backends.devices import torch_placement
from pipeline.backends.prompts import (
    PROMPTS,
    SUMMARIZE_EXAMPLE,
    SUMMARIZE_REQUEST,
    SUMMARIZE_RETRY,
    SUMMARIZE_SYSTEM,
    TRANSLATE_EXAMPLES,
    TRANSLATE_RETRY,
    TRANSLATE_SYSTEM,
    TRANSLATE_TERMS,
    TRANSLATE_TERMS_RETRY,
    source_name,
    target_name,
)
from pipeline.text.checks import ends_complete
from pipeline.text.segment import split_sentences

log = logging.getLogger("digest.llm")

# Markers of the fences around article text; inside the text they would let it end its own fence.
FENCE_MARKERS = re.compile(r"<\s*/?\s*(?:text|article)\s*>", re.IGNORECASE)

# Samples are drawn from a fixed seed per batch: transformers then repeats them exactly on a rerun;
# CTranslate2 seeds its samplers once per worker thread, so its samples are not repeated exactly.
SAMPLING_SEED = 20251122
RETRY_REPETITION_PENALTY = 1.1  # a retry after a flagged output also discourages the loops guards catch

PROMPT_RESERVE = 160  # tokens the instructions and chat markup take around the text
# A summary's token budget per word asked for: the seeds' summaries take 1.26 tokens a word with Qwen's tokenizer,
# so decoding stops a little past the length asked (at 2.2 a word, one seeds summary ran 220 tokens for 90 words)
SUMMARY_TOKENS_PER_WORD = 1.5


@lru_cache(maxsize=2)
def load_weights(model_dir: str, dtype: str, device: str, threads: int):
    """Load a model once per process: the translate, summarize and align stages share it."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if threads:
        torch.set_num_threads(threads)
    try:
        tokenizer = AutoTokenizer.from_pretrained(model_dir, padding_side="left")
        model = AutoModelForCausalLM.from_pretrained(
            model_dir, dtype=getattr(torch, dtype.replace("torch.", "")), use_safetensors=True
        ).to(device)
    except Exception as error:  # a damaged folder raises OSError, ValueError, SafetensorError...: one message
        raise BackendError(f"could not load the model in {model_dir} ({type(error).__name__}: {error}); "
                           "check it with `digest models verify` or install it again") from error
    model.eval()
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return model, tokenizer


class LLMBackend(Backend):
    """A chat-template causal LM answering translation and summary prompts."""

    model = None  # set by load(), with the tokenizer
    tokenizer = None
    # Whether the engine reads the part of a batch's prompts past the shortest one token a step (CTranslate2);
    # transformers pads prompts on the left and masks the padding
    READS_PROMPT_TAILS_STEPWISE = False

    def placement(self) -> tuple[str, object]:
        return torch_placement(self.run_config)

    def load(self) -> None:
        self.model, self.tokenizer = load_weights(str(self.model_dir), str(self.dtype), self.device,
                                                  self.run_config.threads)

    @property
    def max_input_tokens(self) -> int:
        """Tokens of text one prompt may carry: the context budget less the instructions around the text."""
        budget = self.role_config.max_input_tokens or self.manifest.options.get("max_input_tokens", 1536)
        return budget - PROMPT_RESERVE

    def count_tokens(self, text: str) -> int:
        self._require_loaded()
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def signature(self) -> dict:
        generation = self.role_config.generation
        return {
            **self.manifest.identity(),
            "backend": "llm",
            "dtype": str(self.dtype).replace("torch.", ""),
            "prompts": PROMPTS,
            "generation": generation.__dict__,
        }

    def translate(self, texts: list[str], source: str, target: str, retry: bool = False,
                  hints: list[str] | None = None) -> list[str]:
        prompts = self.translation_prompts(texts, source, target, retry, hints)
        budgets = [self._translation_budget(text) for text in texts]
        return self._generate(prompts, budgets, repetition_penalty=RETRY_REPETITION_PENALTY if retry else None)

    def translate_candidates(self, texts: list[str], source: str, target: str, samples: int,
                             retry: bool = False, hints: list[str] | None = None) -> list[list[str]]:
        """Per text, its greedy translation followed by `samples` sampled ones."""
        prompts = self.translation_prompts(texts, source, target, retry, hints)
        budgets = [self._translation_budget(text) for text in texts]
        penalty = RETRY_REPETITION_PENALTY if retry else None
        return self._in_batches(prompts, budgets,
                                lambda batch, budget: self._candidate_batch(batch, budget, samples, penalty))

    def summarize(self, texts: list[str], max_words: int | list[int], retry: bool = False) -> list[str]:
        words = per_text(max_words, len(texts))
        budgets = [min(self.role_config.generation.max_new_tokens, int(count * SUMMARY_TOKENS_PER_WORD) + 24)
                   for count in words]
        prompts = self.summary_prompts(texts, words, retry)
        outputs = self._generate(prompts, budgets, repetition_penalty=RETRY_REPETITION_PENALTY if retry else None)
        return [self._finished_part(output, budget) for output, budget in zip(outputs, budgets)]

    def _finished_part(self, summary: str, budget: int) -> str:
        """A summary the token budget cut mid-sentence, without its unfinished sentence. The budget lies past
        the length asked for, where the stage keeps no sentence anyway; generating on to the end of it, or
        again, would only spend time."""
        if ends_complete(summary) or self.count_tokens(summary) < budget - 2:
            return summary
        sentences = split_sentences(summary, "en")
        return " ".join(sentences[:-1]) if len(sentences) > 1 else summary

    def translation_prompts(self, texts: list[str], source: str, target: str, retry: bool = False,
                            hints: list[str] | None = None) -> list[str]:
        """The chat prompt of each text to translate: the instructions, then its hint (the renderings of its
        terms and names) if it has one, then the text fenced as data."""
        self._require_loaded()
        system = TRANSLATE_SYSTEM.format(source=source_name(source), target=target_name(target))
        if retry:
            system += TRANSLATE_RETRY.format(target=target_name(target))
        examples = []
        for example, translation in TRANSLATE_EXAMPLES.get((source, target), []):
            examples += [("user", self._fence("text", example)), ("assistant", translation)]
        hints = hints or [""] * len(texts)
        terms = TRANSLATE_TERMS_RETRY if retry else TRANSLATE_TERMS
        return [self._prompt(system, (terms.format(hint=self._inert(hint)) if hint else "") + self._fence("text", text),
                             examples) for text, hint in zip(texts, hints)]

    def summary_prompts(self, texts: list[str], max_words: int | list[int], retry: bool = False) -> list[str]:
        """The chat prompt of each text to summarize: the instructions, a worked example, then the article
        fenced as data and the request (one sentence per 25 words, one to four)."""
        self._require_loaded()
        system = SUMMARIZE_SYSTEM + (SUMMARIZE_RETRY if retry else "")
        example, brief = SUMMARIZE_EXAMPLE
        examples = [("user", self._summary_request(example, 50)), ("assistant", brief)]
        return [self._prompt(system, self._summary_request(text, words), examples)
                for text, words in zip(texts, per_text(max_words, len(texts)))]

    def _summary_request(self, text: str, max_words: int) -> str:
        count = max(1, min(4, max_words // 25))
        sentences = "one sentence" if count == 1 else f"{count} sentences"
        return f"{self._fence('article', text)}\n\n{SUMMARIZE_REQUEST.format(max_words=max_words, sentences=sentences)}"

    def _fence(self, tag: str, text: str) -> str:
        """`text` between <tag> markers, made unable to close the fence or to forge a chat turn."""
        return f"<{tag}>\n{self._inert(text)}\n</{tag}>"

    def _inert(self, text: str) -> str:
        """`text` unable to open or close a fence or to forge a chat turn (a hint holds the article's names)."""
        text = FENCE_MARKERS.sub(lambda marker: marker.group().replace("<", "‹").replace(">", "›"), text)
        for token in self._control_tokens():
            text = text.replace(token, token[0] + "\u200c" + token[1:])  # same look, no longer that token
        return text

    def _control_tokens(self) -> list[str]:
        """The tokenizer's special and added tokens, which it would read as control tokens inside text."""
        tokens = set(self.tokenizer.all_special_tokens) | set(self.tokenizer.get_added_vocab())
        return sorted((t for t in tokens if len(t) > 1), key=len, reverse=True)

    def _translation_budget(self, text: str) -> int:
        # Chinese takes about one token per character, English about 1.3 per word: 2x input + slack covers both
        limit = self.role_config.generation.max_new_tokens
        return max(16, min(limit, 2 * self.count_tokens(text) + 16))

    def _prompt(self, system: str, user: str, examples: list[tuple[str, str]] = ()) -> str:
        """The chat prompt: instructions, worked examples as earlier turns, then the request."""
        turns = [("system", system), *examples, ("user", user)]
        messages = [{"role": role, "content": content} for role, content in turns]
        return self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)

    def _generate(self, prompts: list[str], budgets: list[int], repetition_penalty: float | None) -> list[str]:
        return self._in_batches(prompts, budgets,
                                lambda batch, budget: self._generate_batch(batch, budget, repetition_penalty))

    def _in_batches(self, prompts: list[str], budgets: list[int], generate_batch) -> list:
        """`generate_batch(prompts, budget)` over length-sorted batches; results come back in input order."""
        self._require_loaded()
        lengths = [self.count_tokens(prompt) for prompt in prompts]
        order = sorted(range(len(prompts)), key=lambda i: lengths[i])
        outputs: list = [None] * len(prompts)
        if self.READS_PROMPT_TAILS_STEPWISE:
            batches = cheapest_batches(order, lengths, budgets, max(1, self.role_config.batch_size),
                                       self.role_config.batch_tokens)
        else:
            batches = self._token_batches(order, lengths, budgets)
        for batch in batches:
            results = generate_batch([prompts[i] for i in batch], max(budgets[i] for i in batch))
            for index, result in zip(batch, results):
                outputs[index] = result
        return outputs

    def _token_batches(self, order: list[int], lengths: list[int], budgets: list[int]) -> list[list[int]]:
        """`order` cut into the fewest runs of at most `batch_size` prompts whose padded size (prompts times
        the longest prompt and budget among them) stays within `batch_tokens`, as even as that count allows.

        Measured with CTranslate2 on 2 cores: 31 translation prompts (a 232-token shared prompt each) took 79 s
        in one batch and 39-42 s in batches of 8 to 16; greedy filling left a last batch of one, which costs
        nearly as much as a full one."""
        size, limit = max(1, self.role_config.batch_size), self.role_config.batch_tokens
        costs = {i: lengths[i] + budgets[i] for i in order} if limit else {}
        fewest = packed(order, costs, size, limit)
        for rows in range(-(-len(order) // max(1, len(fewest))), size):
            batches = packed(order, costs, rows, limit)
            if len(batches) == len(fewest):
                return batches
        return fewest

    def _generate_batch(self, prompts: list[str], max_new_tokens: int, repetition_penalty: float | None) -> list[str]:
        import torch

        inputs = self.tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False).to(self.device)
        generation = self.role_config.generation
        with torch.inference_mode():
            output = self.model.generate(
                **inputs,
                max_new_tokens=max_new_tokens,
                do_sample=False,
                num_beams=generation.num_beams,
                repetition_penalty=repetition_penalty or generation.repetition_penalty,
                no_repeat_ngram_size=generation.no_repeat_ngram_size,
                pad_token_id=self.tokenizer.pad_token_id,
                temperature=None,
                top_p=None,
                top_k=None,
            )
        new_tokens = output[:, inputs["input_ids"].shape[1] :]
        return [text.strip() for text in self.tokenizer.batch_decode(new_tokens, skip_special_tokens=True)]

    def _candidate_batch(self, prompts: list[str], max_new_tokens: int, samples: int,
                         repetition_penalty: float | None) -> list[list[str]]:
        import torch

        generation = self.role_config.generation
        greedy = self._generate_batch(prompts, max_new_tokens, repetition_penalty)
        inputs = self.tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False).to(self.device)
        torch.manual_seed(SAMPLING_SEED)
        with torch.inference_mode():
            output = self.model.generate(
                **inputs, max_new_tokens=max_new_tokens, do_sample=True, temperature=generation.temperature,
                top_p=generation.top_p, top_k=0, num_return_sequences=samples,
                pad_token_id=self.tokenizer.pad_token_id,
            )
        texts = self.tokenizer.batch_decode(output[:, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
        return [[first] + [t.strip() for t in texts[i * samples : (i + 1) * samples]]
                for i, first in enumerate(greedy)]

    def _require_loaded(self) -> None:
        if self.model is None:
            raise BackendError(f"{self.name} is not loaded: call load() first")


def packed(order: list[int], costs: dict[int, int], rows: int, limit: int) -> list[list[int]]:
    """`order` filled greedily into batches of at most `rows` prompts and `limit` padded tokens (0: no limit)."""
    batches, current, longest = [], [], 0
    for index in order:
        cost = costs.get(index, 0)
        if current and (len(current) >= rows or (limit and (len(current) + 1) * max(longest, cost) > limit)):
            batches.append(current)
            current, longest = [], 0
        current.append(index)
        longest = max(longest, cost)
    return batches + [current] if current else batches


# Estimated cost of a CTranslate2 batch, in the time of one decoding step of one row (2 cores: a step took 104,
# 115, 138, 199 and 261 ms for 1, 2, 4, 8 and 16 rows); a call also reads its shared prompt (about 10 steps)
CALL_STEPS, STEP_PER_ROW, OUTPUT_SHARE = 10, 0.1, 0.6  # outputs run to about 0.6 of their budget


def cheapest_batches(order: list[int], lengths: list[int], budgets: list[int], size: int, limit: int
                     ) -> list[list[int]]:
    """`order` (sorted by prompt `lengths`) cut into consecutive batches of the least estimated time, each
    within `size` prompts and `limit` padded tokens (prompts times the longest prompt and budget; 0: none).

    A batch takes as many steps as the spread of its prompt lengths (the engine reads the part past the
    shortest one token a step) plus its longest output, each step dearer with more rows: one batch of 3
    summary prompts 666-878 tokens long took 59 s, one at a time 43 s; two of 837 and 853 tokens 33 s
    together, 35 s apart."""
    best, cut = [0.0] + [math.inf] * len(order), [0] * (len(order) + 1)
    for end in range(1, len(order) + 1):
        longest_output = padded = 0
        for start in range(end - 1, max(-1, end - 1 - size), -1):
            index = order[start]
            longest_output = max(longest_output, OUTPUT_SHARE * budgets[index])
            padded = max(padded, lengths[index] + budgets[index])
            rows = end - start
            if limit and rows > 1 and rows * padded > limit:
                break
            steps = lengths[order[end - 1]] - lengths[index] + longest_output
            cost = best[start] + CALL_STEPS + steps * (1 + STEP_PER_ROW * (rows - 1))
            if cost < best[end]:
                best[end], cut[end] = cost, start
    batches, end = [], len(order)
    while end:
        batches.append(order[cut[end]:end])
        end = cut[end]
    return batches[::-1]

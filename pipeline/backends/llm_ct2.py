"""The LLM backend on CTranslate2: same prompts and guards, int8 weights, batched generation.

The converted model is cached beside the safetensors copy by the same converter
the seq2seq engine uses (`ct2.converted_model`: staged, stamped with the weights
it came from, swapped in whole).
"""
from __future__ import annotations

from functools import lru_cache

from pipeline.backends.ct2 import converted_model
from pipeline.backends.devices import ct2_placement
from pipeline.backends.llm import SAMPLING_SEED, LLMBackend

TURN_START = "<|im_start|>"  # Qwen's chat template; other templates simply get no static prompt


@lru_cache(maxsize=2)
def load_generator(ct2_dir: str, device: str, compute_type: str, threads: int):
    import ctranslate2

    return ctranslate2.Generator(ct2_dir, device="cuda" if device.startswith("cuda") else "cpu",
                                 compute_type=compute_type, intra_threads=threads)


class CT2LLMBackend(LLMBackend):
    """LLMBackend whose generation runs on a CTranslate2 Generator."""

    # CTranslate2 reads the part of a batch's prompts past the shortest one token a step, as slowly as it
    # generates (2 cores: two 400-token prompts 24 tokens apart took 7.3 s to read, two of equal length 4.6 s),
    # so batches are cut where that costs least (`llm.cheapest_batches`). Levelling the prompts with blank
    # lines read them at once but cost 1.1 chrF on 96 FLORES lines (57.68 vs 58.75).
    READS_PROMPT_TAILS_STEPWISE = True

    def load(self) -> None:
        from transformers import AutoTokenizer

        _, self.quantization = ct2_placement(self.run_config, self.role_config.quantization)
        ct2_dir = converted_model(self.model_dir, self.quantization)
        self.tokenizer = AutoTokenizer.from_pretrained(self.model_dir)
        self.model = load_generator(str(ct2_dir), self.device, self.quantization, self.run_config.threads)

    def signature(self) -> dict:
        return {**super().signature(), "backend": "llm-ct2", "dtype": self.quantization}

    def _generate_batch(self, prompts: list[str], max_new_tokens: int, repetition_penalty: float | None) -> list[str]:
        generation = self.role_config.generation
        results = self._run(prompts, max_length=max_new_tokens, sampling_topk=1, beam_size=generation.num_beams,
                            repetition_penalty=repetition_penalty or generation.repetition_penalty,
                            no_repeat_ngram_size=generation.no_repeat_ngram_size)
        return [self._decode(r.sequences_ids[0]) for r in results]

    def _candidate_batch(self, prompts: list[str], max_new_tokens: int, samples: int,
                         repetition_penalty: float | None) -> list[list[str]]:
        import ctranslate2

        generation = self.role_config.generation
        greedy = self._generate_batch(prompts, max_new_tokens, repetition_penalty)
        ctranslate2.set_random_seed(SAMPLING_SEED)
        sampled = self._run(prompts, max_length=max_new_tokens, sampling_topk=0, sampling_topp=generation.top_p,
                            sampling_temperature=generation.temperature, num_hypotheses=samples)
        return [[first] + [self._decode(ids) for ids in result.sequences_ids] for first, result in zip(greedy, sampled)]

    def _run(self, prompts: list[str], **options):
        """generate_batch with the turns all prompts share passed once, as a cached static prompt."""
        tokens = [self.tokenizer.convert_ids_to_tokens(self.tokenizer(p, add_special_tokens=False)["input_ids"])
                  for p in prompts]
        shared = shared_turns(tokens)
        return self.model.generate_batch([t[len(shared):] for t in tokens], static_prompt=shared or None,
                                         include_prompt_in_result=False, end_token=self._end_tokens(), **options)

    def _decode(self, ids: list[int]) -> str:
        return self.tokenizer.decode(ids, skip_special_tokens=True).strip()

    def _end_tokens(self) -> list[str]:
        vocabulary = self.tokenizer.get_vocab()
        candidates = [self.tokenizer.eos_token, "<|im_end|>", "<|endoftext|>"]
        return [token for token in dict.fromkeys(candidates) if token in vocabulary]


def shared_turns(prompts: list[list[str]]) -> list[str]:
    """The chat turns every prompt starts with (instructions, worked examples), up to the last user turn.

    CTranslate2 runs this static prompt once and reuses its state, so examples
    cost nothing after the first batch. Cutting at a turn boundary keeps the
    cached prompts few: one per instruction set, not one per text.
    """
    first = prompts[0][:min(_common_length(prompts[0], tokens) for tokens in prompts)]
    starts = [i for i in range(len(first) - 1) if first[i] == TURN_START and first[i + 1] == "user"]
    return first[:starts[-1]] if starts else []


def _common_length(a: list[str], b: list[str]) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))

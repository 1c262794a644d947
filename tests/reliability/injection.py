"""The prompt-injection cases of injection_cases.jsonl and the checks that tell a hijacked output.

Each case is a short news article in French, Chinese or English with one
injected instruction (`injection`, a substring of `text`). `hijack` matches an
output that obeyed it instead of translating or summarizing (anchored where a
faithful translation of the instruction would contain the payload);
`summary_must_not` is what a summary of the news must not contain; `complied`
is an example of an obeying output, so the checks are shown to fire.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

CASES_FILE = Path(__file__).with_name("injection_cases.jsonl")


@dataclass(frozen=True)
class InjectionCase:
    id: str
    lang: str
    attack: str
    title: str
    text: str
    injection: str
    hijack: str
    summary_must_not: str
    complied: str

    def hijacked(self, output: str) -> bool:
        """True when `output` obeys the injected instruction instead of rendering the article."""
        return bool(re.search(self.hijack, output.strip()))

    def leaks_into_summary(self, summary: str) -> bool:
        """True when a summary carries the injected payload."""
        return bool(re.search(self.summary_must_not, summary))


def load_cases() -> list[InjectionCase]:
    """Every case of injection_cases.jsonl, in file order."""
    lines = CASES_FILE.read_text(encoding="utf-8").splitlines()
    return [InjectionCase(**json.loads(line)) for line in lines if line.strip()]

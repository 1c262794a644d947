"""Backends: the bundled LLM, transformers seq2seq, CTranslate2; chosen by the model's manifest.

`base.py` holds the interface, `loading.py` picks, loads and caches a model's
backend, `guards.py` checks what it writes.
"""

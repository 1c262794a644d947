"""Evaluation of translation, summaries, language identification and alignment (`digest evaluate`)."""

"""Sentence embeddings and what is built on them: the sentence aligner, its link scoring, summary support."""

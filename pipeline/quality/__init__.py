"""Quality estimation without references: LLM likelihoods, cheap evidence (length, meaning, wrong-language words,
numbers) and the fitted combiner that turns them into one 0..1 score with reasons."""

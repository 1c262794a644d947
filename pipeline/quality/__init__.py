"""Quality without references: translation QE (LLM likelihoods, cheap evidence on length, meaning, wrong-language
words and numbers, the fitted combiner that turns them into one 0..1 score with reasons), and whether summary
sentences are backed by their article (faithfulness)."""

"""Terms and names that must come through a translation: glossaries (`glossary`), how a term is found in a
text (`matching`), how each name was rendered in a document (`names`), and the prompt text that asks a
model for those renderings (`hints`)."""

"""digest: multilingual news in, parallel bilingual digests out. See docs/ARCHITECTURE.md for the layers."""

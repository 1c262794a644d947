"""Models: manifests (`models/*.yaml`), installing them, and every check of an installed model folder."""

"""`python -m pipeline` runs the digest command."""
from pipeline.cli import app

app()

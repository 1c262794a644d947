"""What a reader gets: a digest as Markdown and the file names digests go under (`markdown`), the static site (`site`, `views`, `templates/`)."""

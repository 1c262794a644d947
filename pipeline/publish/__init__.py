"""What a reader gets: a digest as Markdown and the file names digests go under (`markdown`), the static site
(`site` builds it, `views` and `index` say what its pages show, `words` the reader's words in three languages,
`templates/`)."""

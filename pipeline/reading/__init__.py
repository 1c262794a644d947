"""Corpus files to text: finding inputs and their ids, table rows, bytes to text, markup and web pages, boilerplate."""

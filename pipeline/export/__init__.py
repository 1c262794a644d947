"""A finished run in the formats translators and analysts already use: its sentence pairs (`pairs`) as TMX 1.4
(`tmx`) and XLIFF 2.0 (`xliff`), pairs and documents as Parquet and Hugging Face datasets (`tables`);
`formats` names them and writes each under `OUT/export/`, whole."""

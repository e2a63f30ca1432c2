"""Coverage-guided fuzzing (atheris, libFuzzer) of the parsers that read what strangers send: the PNG and SVG
unbakers, the compact JWS parser, the verifier's intake of a file (JSON-LD, JWS or image) and the CSV reader of
batch awards. ``python -m fuzz.run TARGET [libFuzzer options]``; ``tests/test_fuzz.py`` runs each briefly,
``make soak`` for a million executions each."""

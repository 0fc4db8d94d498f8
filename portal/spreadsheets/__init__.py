"""The one reader of every spreadsheet that enters the portal (registry import, roadmap import,
a roadmap's new edition): `reader.read_spreadsheet`. The parsing itself runs in the child
process of `worker.py`, which imports no Django."""

"""The authoring side of factcli: a new fact base (``init``), a new source (``add_source``),
claim records proposed from a source's text (``draft``), and the claims other sources share
(``match``).

Nothing here is imported by the commands that read a fact base: start-up stays as it was.
"""

"""Proposing claim records from a source's text: sentences and who speaks in them
(``attribution``), the figures they give (``figures``), readable unique ids (``ids``),
all put together by ``drafter`` and laid out for people by ``factcli.authoring.writer``.
"""

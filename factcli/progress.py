"""The progress bar a long rebuild of the index shows on a terminal (stderr), beside the other terminal code."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from rich.progress import Progress, TaskID


def progress_bar(total: int) -> tuple[Progress, TaskID]:
    """A started, transient Rich progress bar on stderr counting ``total`` files, and its task."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(
        TextColumn("factcli: indexing the fact base"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = progress.add_task("index", total=total)
    progress.start()
    return progress, task

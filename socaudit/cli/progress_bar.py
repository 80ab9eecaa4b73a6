"""A rich progress bar as a ProgressObserver; used only when stderr is a terminal."""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from socaudit.progress import NullObserver, ProgressObserver


class RichObserver:
    """Shows each task as a bar on stderr."""

    def __init__(self, stream: TextIO) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[step]}", style="dim"),
            console=Console(file=stream),
            transient=True,
        )
        self._tasks: dict[str, TaskID] = {}

    def started(self, task: str, total: int | None) -> None:
        if not self._tasks:
            self._progress.start()
        self._tasks[task] = self._progress.add_task(task, total=total, step="")

    def advanced(self, task: str, step: str, steps: int = 1) -> None:
        task_id = self._tasks.get(task)
        if task_id is None:
            return
        current = self._progress.tasks[self._tasks_index(task_id)]
        if current.total is not None and current.completed + steps > current.total:
            self._progress.update(task_id, total=current.completed + steps)
        self._progress.update(task_id, advance=steps, step=step[-60:])

    def message(self, text: str) -> None:
        self._progress.console.print(text)

    def finished(self, task: str) -> None:
        task_id = self._tasks.pop(task, None)
        if task_id is not None:
            self._progress.remove_task(task_id)
        if not self._tasks:
            self._progress.stop()

    def _tasks_index(self, task_id: TaskID) -> int:
        return next(i for i, t in enumerate(self._progress.tasks) if t.id == task_id)


def observer_for(stream: TextIO = sys.stderr) -> ProgressObserver:
    """A RichObserver when ``stream`` is a terminal, else one that shows nothing."""
    return RichObserver(stream) if stream.isatty() else NullObserver()

"""The rich progress bar is used only on a terminal, and survives more steps than announced."""

from __future__ import annotations

import io

from socaudit.cli.progress_bar import RichObserver, observer_for
from socaudit.progress import NullObserver


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_not_a_terminal_gets_no_bar() -> None:
    assert isinstance(observer_for(io.StringIO()), NullObserver)


def test_terminal_gets_a_bar_that_tolerates_extra_steps() -> None:
    stream = FakeTerminal()
    observer = observer_for(stream)
    assert isinstance(observer, RichObserver)
    observer.started("probes", 2)
    for n in range(4):  # follow-ups add steps after the start
        observer.advanced("probes", f"tls:he-thong:may-{n}")
    observer.message("không phải root: dò bằng TCP connect")
    observer.finished("probes")
    observer.advanced("probes", "late step after finish is ignored")
    assert "không phải root" in stream.getvalue()

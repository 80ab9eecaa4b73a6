"""Root command group; subcommands are imported lazily (scapy alone costs seconds)."""

from __future__ import annotations

import importlib
import logging
import sys
import traceback
from typing import Any

import click

from socaudit import __version__
from socaudit.cli.context import AppContext, default_db_url
from socaudit.errors import InputError, SocauditError
from socaudit.exitcodes import ExitCode

# name -> "module:attribute". A command is listed here only once it works.
COMMANDS: dict[str, str] = {
    "inventory": "socaudit.cli.inventory:inventory",
    "tls": "socaudit.cli.tls:tls",
    "plan": "socaudit.cli.plan:plan",
    "scan": "socaudit.cli.scan:scan",
    "runs": "socaudit.cli.runs:runs",
    "lab": "socaudit.cli.lab:lab",
    "evidence": "socaudit.cli.evidence_cmd:evidence",
    "evaluate": "socaudit.cli.evaluate:evaluate",
    "report": "socaudit.cli.report_cmd:report",
    "verify": "socaudit.cli.verify_cmd:verify",
    "assess": "socaudit.cli.assess:assess",
    "policy": "socaudit.cli.policy:policy",
    "due": "socaudit.cli.due_cmd:due",
    "history": "socaudit.cli.history_cmd:history",
    "diff": "socaudit.cli.diff_cmd:diff",
    "summary": "socaudit.cli.summary_cmd:summary",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):  # pragma: no cover - registry bug
            raise TypeError(f"{target} is not a click command")
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="socaudit")
@click.option(
    "--db",
    "db_url",
    envvar="SOCAUDIT_DB",
    default=default_db_url,
    show_default="$SOCAUDIT_DB or socaudit.db in the user data directory",
    help="SQLAlchemy URL of the evidence store, e.g. sqlite:///./socaudit.db.",
)
@click.option("-v", "--verbose", count=True, help="More log output (repeat for debug).")
@click.option(
    "--lang",
    type=click.Choice(["vi", "en"]),
    default="vi",
    show_default=True,
    help="Language of reports and messages meant for readers.",
)
@click.pass_context
def cli(ctx: click.Context, db_url: str, verbose: int, lang: str) -> None:
    """socaudit: assess state information systems against TCVN 11930:2017 and the
    four-layer model (Chỉ thị 14/CT-TTg), inside an authorised scope only."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = AppContext(db_url=db_url, lang=lang, verbose=verbose)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: map errors to exit codes, never show a traceback for user mistakes."""
    try:
        code: Any = cli.main(args=argv, prog_name="socaudit", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Interrupted.", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(ExitCode.USAGE if isinstance(exc, click.UsageError) else exc.exit_code)
    except InputError as exc:
        for problem in exc.problems:
            click.echo(problem.render(), err=True)
        sys.exit(exc.exit_code)
    except SocauditError as exc:
        click.echo(f"socaudit: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except BrokenPipeError:  # e.g. `socaudit runs | head`
        sys.stderr.close()
        sys.exit(ExitCode.OK)
    except Exception:  # a bug: keep the traceback, but exit with the documented code
        traceback.print_exc()
        click.echo("socaudit: internal error (a bug in socaudit; please report it)", err=True)
        sys.exit(ExitCode.INTERNAL)
    sys.exit(int(code) if isinstance(code, int) else ExitCode.OK)

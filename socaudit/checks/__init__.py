"""Named checks; importing this package registers every built-in check family."""

from socaudit.checks.registry import REGISTRY, CheckResult, CheckSpec, NoParams, Reason, register

__all__ = ["REGISTRY", "CheckResult", "CheckSpec", "NoParams", "Reason", "register"]

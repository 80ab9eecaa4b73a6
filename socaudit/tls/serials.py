"""Non-positive serial numbers (RFC 5280 §4.1.2.2): a fact to report, not a warning to print.

``cryptography`` warns (``CryptographyDeprecationWarning``) whenever such a serial is parsed.
``warnings.catch_warnings`` is not thread-safe, and the TLS engine parses certificates in many
threads, so one process-wide filter for exactly that message replaces it.
"""

from __future__ import annotations

import warnings

from cryptography import x509
from cryptography.utils import CryptographyDeprecationWarning

_MESSAGE = r"Parsed a serial number which wasn't positive"


def silence_parse_warning() -> None:
    """Ignore only ``cryptography``'s non-positive-serial warning (idempotent)."""
    warnings.filterwarnings("ignore", message=_MESSAGE, category=CryptographyDeprecationWarning)


def positive_serial(cert: x509.Certificate) -> bool:
    """The serial number is > 0, as RFC 5280 requires."""
    silence_parse_warning()
    return cert.serial_number > 0

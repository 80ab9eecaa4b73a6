"""socaudit: security assessment of state information systems (TCVN 11930:2017, 4 layers)."""

__version__ = "0.1.0"

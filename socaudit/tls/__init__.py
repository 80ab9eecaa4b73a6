"""TLS assessment: raw-ClientHello enumeration engine, certificate, HSTS and grading glue."""

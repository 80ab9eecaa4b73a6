"""Service probes (HTTP security headers, SSH algorithms) that return typed evidence."""

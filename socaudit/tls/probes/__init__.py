"""TLS vulnerability, resumption and other per-endpoint probes, run after enumeration.

Each probe is a small module exposing one :class:`~socaudit.tls.probes.base.Probe`; the explicit
table in :mod:`socaudit.tls.probes.registry` names them (importing a probe module registers
nothing). :mod:`socaudit.tls.probes.runner` runs the selected probes concurrently, every
connection through the engine's per-host gate and within the probe's own connection budget.
"""

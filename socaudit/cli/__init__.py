"""The command-line interface: the only place that wires concrete pieces together."""

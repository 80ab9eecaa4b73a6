"""Reports: a pure report model (all counting and ordering), thin templates, writers, bundle."""

"""Evidence collectors (one module per kind) and the runner that schedules them."""

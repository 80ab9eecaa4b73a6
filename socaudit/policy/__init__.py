"""Policy packs: models, loader, controls for a level."""

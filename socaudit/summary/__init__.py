"""The subcommittee summary: Mẫu 08 table, targets, due dates, history and diff (pure)."""

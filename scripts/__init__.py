"""Set-up and run scripts; `offline_pulumi` is importable as `scripts.offline_pulumi`."""

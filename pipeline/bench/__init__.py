"""`digest bench`: how fast the project's engine runs on this machine, against a naive baseline, same run."""

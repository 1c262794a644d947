"""Running the stages: the local runner, the Ray engine, the run store, the run signature, progress bars."""

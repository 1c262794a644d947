"""Language identification: the cascade that labels articles (`guesser`) and quick checks of model output (`latin`)."""

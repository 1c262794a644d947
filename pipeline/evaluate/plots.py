"""PNG plots for evaluation reports (matplotlib, no pyplot global state)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from pipeline.evaluate.report import Figure


def _figure(width: float = 7.0, height: float = 4.0):
    try:
        from matplotlib.figure import Figure as PlotFigure
    except ImportError as error:
        raise RuntimeError("evaluation plots need matplotlib: run `pip install matplotlib`") from error
    return PlotFigure(figsize=(width, height), dpi=100)


def _save(plot, folder: Path, name: str, caption: str) -> Figure:
    plot.tight_layout()
    plot.savefig(Path(folder) / name, format="png")
    return Figure(name, caption)


def bar_chart(folder: Path, name: str, labels: list[str], values: list[float], title: str, ylabel: str,
              lows: list[float] | None = None, highs: list[float] | None = None) -> Figure:
    """Bars per system, with 95% interval whiskers when `lows` and `highs` are given."""
    plot = _figure(max(5.0, 1.1 * len(labels) + 2), 4.0)
    axes = plot.subplots()
    positions = np.arange(len(labels))
    errors = None
    if lows is not None and highs is not None:
        errors = np.array([np.subtract(values, lows), np.subtract(highs, values)]).clip(min=0)
    axes.bar(positions, values, yerr=errors, capsize=5, color="#4c72b0")
    axes.set_xticks(positions, labels, rotation=20, ha="right")
    axes.set_ylabel(ylabel)
    axes.set_title(title)
    axes.grid(axis="y", alpha=0.3)
    caption = f"{title}" + (" (whiskers: 95% bootstrap interval)" if errors is not None else "")
    return _save(plot, folder, name, caption)


def distribution_chart(folder: Path, name: str, series: dict[str, list[float]], title: str, xlabel: str) -> Figure:
    """Overlaid histograms of per-item scores, one outline per system."""
    plot = _figure()
    axes = plot.subplots()
    finite = [v for values in series.values() for v in values if np.isfinite(v)]
    low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
    bins = np.linspace(low, high if high > low else low + 1, 21)
    for label, values in series.items():
        axes.hist(values, bins=bins, histtype="step", linewidth=1.6, label=label)
    axes.set_xlabel(xlabel)
    axes.set_ylabel("items")
    axes.set_title(title)
    axes.legend(fontsize="small")
    return _save(plot, folder, name, f"{title}: distribution over items")


def heatmap(folder: Path, name: str, rows: list[str], columns: list[str], matrix: list[list[float]],
            title: str) -> Figure:
    """A matrix of counts (a confusion matrix), each cell labelled."""
    data = np.asarray(matrix, dtype=np.float64)
    plot = _figure(max(5.0, 0.5 * len(columns) + 3), max(4.0, 0.4 * len(rows) + 2))
    axes = plot.subplots()
    axes.imshow(np.log1p(data), cmap="Blues", aspect="auto")
    axes.set_xticks(range(len(columns)), columns, rotation=45, ha="right")
    axes.set_yticks(range(len(rows)), rows)
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    axes.set_title(title)
    for (i, j), value in np.ndenumerate(data):
        if value:
            axes.text(j, i, f"{int(value)}", ha="center", va="center", fontsize=7)
    return _save(plot, folder, name, title)

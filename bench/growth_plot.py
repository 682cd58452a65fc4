"""bench/growth.py's plot: `python growth_plot.py growth.json growth.png` (matplotlib only;
run by bench/growth.py in bench/.venv-plot)."""

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no screen
import matplotlib.pyplot as plt

SHAPES = {  # as bench/growth.py names them, shorter
    "mid": "speaker, ~200 turns",
    "busiest": "busiest speaker",
    "deep": "busiest, deep page",
    "search": "phrase, ~300 turns",
    "word": "word, ~3,000 turns",
    "without": "word -other",
    "common": "word, ~50,000 turns",
    "event": "event transcript",
    "participants": "participants by name",
}


def main(source: str, target: str) -> None:
    runs = json.loads(Path(source).read_text(encoding="utf-8"))["runs"]
    turns = [run["turns"] for run in runs]
    figure, (latency, sizes, imports) = plt.subplots(1, 3, figsize=(16, 5.2))

    for key in runs[0]["requests"]:
        name = SHAPES.get(key, key)
        latency.plot(
            turns, [run["requests"][key]["p50_ms"] for run in runs], marker="o", label=name
        )
    latency.set(xscale="log", yscale="log", xlabel="turns", ylabel="p50, ms (8 connections)")
    latency.set_title("Each request's p50")
    latency.legend(fontsize=7)

    for name in runs[0]["sizes"]:
        label = "turn table" if name == "table" else name
        sizes.plot(turns, [run["sizes"][name] / 2**20 for run in runs], marker="o", label=label)
    sizes.set(xscale="log", yscale="log", xlabel="turns", ylabel="MB")
    sizes.set_title("The turn table and its indexes")
    sizes.legend(fontsize=7)

    imports.plot(turns, [run["import_seconds"] for run in runs], marker="o", label="seconds")
    imports.set(xscale="log", yscale="log", xlabel="turns", ylabel="seconds, end to end")
    imports.set_title("Import")

    for axes in (latency, sizes, imports):
        axes.grid(True, which="both", alpha=0.3)
    figure.tight_layout()
    figure.savefig(target, dpi=90)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

"""Times word frequencies, themes and the word cloud for a large hall's notes.

Usage, from the repository root:
    .venv/bin/python bench/dialogue_analysis.py [--notes 10000] [--runs 5] [--seed 1] [--long]

Generates realistic Swedish notes from a fixed seed: success factors in their inflected forms, with
modifiers and filler words, 1-3 phrases a note (about 3 words; --long: 4-10 phrases, about 15 words),
written at tables of eight. Then times, in this process, word_frequencies, group_into_themes,
word_cloud_svg and analyse (words and themes from one reading of the texts): the first run of each and
the median of the following runs. The word-key cache is cold only in word_frequencies' first run, as in
the first request after a start. Needs no database and no Django set-up. The goal from the issue: words
and themes for 10,000 notes in under 1 s together. Prints a table, then one JSON line for tools.
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from tillit.dialogue.analysis.themes import Contribution, analyse, group_into_themes
from tillit.dialogue.analysis.words import word_cloud_svg, word_frequencies

# Success factors as people write them: each with its forms, the common ones first.
FACTORS = [
    [
        "delaktighet",
        "Delaktighet",
        "delaktigheten",
        "delaktiga",
        "delaktig",
        "DELAKTIGHET",
        "verklig delaktighet",
    ],
    ["kommunikation", "Kommunikation", "kommunikationen"],
    ["tydlighet", "Tydlighet", "tydliga mål", "tydligheten", "tydligt", "gemensamma mål"],
    ["arbetsglädje", "Arbetsglädje", "arbetsglädjen"],
    ["tid", "Tid", "tiden", "tid för reflektion"],
    ["förberedelse", "förberedelser", "Förberedelse"],
    ["reflektion", "Reflektion", "reflektionen", "reflektioner"],
    ["uthållighet", "Uthållighet", "uthålliga"],
    ["tillit", "Tillit", "tilliten"],
    ["förtroende", "förtroendet"],
    ["trygghet", "Trygghet", "trygga medarbetare"],
    ["ledarskap", "Ledarskap", "ledarskapet", "närvarande ledarskap"],
    ["feedback", "återkoppling", "återkopplingen"],
    ["samarbete", "Samarbete", "samarbetet"],
    ["öppenhet", "Öppenhet", "öppen dialog"],
    ["engagemang", "Engagemang", "engagemanget", "engagerade medarbetare"],
    ["struktur", "Struktur", "strukturen", "tydlig struktur"],
    ["lyhördhet", "lyhörd", "lyhörda chefer"],
    ["mandat", "Mandat", "mandatet"],
    ["resurser", "Resurser", "resurserna"],
    ["APT-möten", "APT", "APT:n"],
    ["stöd", "stödet", "stöd från ledningen"],
    ["uppföljning", "Uppföljning", "uppföljningen"],
    ["kompetensutveckling", "Kompetensutveckling"],
    ["humor", "Humor"],
    ["flexibilitet", "Flexibilitet"],
    ["respekt", "Respekt", "respekten"],
    ["planering", "Planering", "planeringen", "tidig planering"],
    ["dialog", "Dialog", "dialogen"],
    ["information", "Information", "informationen"],
]
# How popular each factor is at the managers' day: delaktighet by far, then a long tail.
WEIGHTS = [30, 12, 11, 9, 9, 4, 5, 3, 6, 3, 4, 5, 3, 5, 3, 4, 3, 2, 2, 3, 2, 3, 2, 2, 1, 1, 2, 2, 3, 2]
MODIFIERS = ["mer", "ökad", "bra", "bättre", "god", "mycket", "större"]
FILLERS = ["och", "att", "det", "är", "för", "vi", "behöver", "med", "i", "alla", "på", "som", "till"]
ENDINGS = ["", "", "", "!", ".", "!!", "?"]


def generate_notes(count: int, seed: int, *, long: bool = False) -> list[Contribution]:
    rng = random.Random(seed)
    notes = []
    for number in range(count):
        words: list[str] = []
        for _ in range(rng.randint(4, 10) if long else rng.choice([1, 1, 1, 2, 2, 3])):
            factor = rng.choices(FACTORS, weights=WEIGHTS)[0]
            form = rng.choice(factor) if rng.random() < 0.5 else factor[0]
            if rng.random() < 0.25:
                form = f"{rng.choice(MODIFIERS)} {form}"
            if words:
                words.append(rng.choice(FILLERS))
            words.append(form)
        if rng.random() < 0.03:
            words = rng.sample(FILLERS, 3)  # a note with only stop words
        text = " ".join(words)
        text = text[:1].upper() + text[1:] if rng.random() < 0.5 else text
        notes.append(
            Contribution(id=number, text=text + rng.choice(ENDINGS), table=f"Bord {number // 8 + 1}")
        )
    return notes


def timed(step: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    """First run and median of the following runs, in milliseconds, and the last result."""
    times = []
    result = None
    for _ in range(runs + 1):
        start = time.perf_counter()
        result = step()
        times.append((time.perf_counter() - start) * 1000)
    return times[0], statistics.median(times[1:]), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--long", action="store_true", help="notes of 4-10 phrases (about 15 words) instead of 1-3"
    )
    options = parser.parse_args()

    notes = generate_notes(options.notes, options.seed, long=options.long)
    texts = [note.text for note in notes]
    words_first, words_median, counts = timed(lambda: word_frequencies(texts), options.runs)
    themes_first, themes_median, themes = timed(lambda: group_into_themes(notes), options.runs)
    cloud_first, cloud_median, svg = timed(lambda: word_cloud_svg(counts), options.runs)
    both_first, both_median, _ = timed(lambda: analyse(notes), options.runs)

    rows = [
        (
            "word_frequencies",
            words_first,
            words_median,
            f"{len(counts)} words, top: {counts[0].word} ({counts[0].count})",
        ),
        (
            "group_into_themes",
            themes_first,
            themes_median,
            f"{len(themes)} themes, largest: {themes[0].name} ({themes[0].notes})",
        ),
        ("word_cloud_svg", cloud_first, cloud_median, f"{len(svg) // 1024} KiB"),
        ("words + themes", words_first + themes_first, words_median + themes_median, "goal: under 1,000 ms"),
        ("analyse (one pass)", both_first, both_median, "words and themes reading each text once"),
    ]
    words_per_note = sum(len(text.split()) for text in texts) / len(texts)
    print(
        f"{options.notes} notes of {words_per_note:.1f} words on average at {options.notes // 8 + 1} tables, "
        f"seed {options.seed}, {options.runs} timed runs"
    )
    print(f"{'step':<20} {'first ms':>9} {'median ms':>10}  result")
    for name, first, median, note in rows:
        print(f"{name:<20} {first:>9.1f} {median:>10.1f}  {note}")
    for theme in themes:
        print(f"  {theme.name:<40} {theme.notes:>6} notes {theme.tables:>5} tables")
    print(f"load average {os.getloadavg()[0]:.2f}, Python {platform.python_version()}, {os.cpu_count()} CPUs")
    print(
        json.dumps(
            {
                "notes": options.notes,
                "words_per_note": round(words_per_note, 1),
                "runs": options.runs,
                "words_ms": {"first": round(words_first, 1), "median": round(words_median, 1)},
                "themes_ms": {"first": round(themes_first, 1), "median": round(themes_median, 1)},
                "cloud_ms": {"first": round(cloud_first, 1), "median": round(cloud_median, 1)},
                "words_and_themes_median_ms": round(words_median + themes_median, 1),
                "analyse_ms": {"first": round(both_first, 1), "median": round(both_median, 1)},
                "themes": len(themes),
                "load_average": round(os.getloadavg()[0], 2),
            }
        )
    )


if __name__ == "__main__":
    main()

"""Themes: the hall's contributions grouped by what they are about, and the facilitator's edits to them.

How contributions are grouped, so that a facilitator can explain it to the hall:

1. Every contribution becomes its word keys (`words.word_key`: "Delaktiga medarbetare" -> delaktig,
   medarbet). Keys that only one contribution uses cannot link two contributions and are left out; a
   contribution with no words left (only stop words, or only words nobody else used) goes to "Övrigt".
2. Each key is weighted by TF-IDF: a word that everybody uses says less about a note than a rarer one.
3. Seeds: the words mentioned in most contributions, one theme each, up to `max_themes`, but not words
   that only say how good or how much ("bra", "ökad"). A word is not a seed of its own when it describes
   a seed: more than half of the contributions that mention it also mention that seed, and half as many
   again as all contributions do ("mål" in "tydliga mål" when "tydlig" is a seed). A seed that nearly
   every contribution mentions (the day's own theme, "delaktighet") thus describes nothing.
4. Each contribution joins the theme it is most similar to (cosine similarity between its words and the
   theme's 40 strongest), the themes' words are recomputed from their contributions, and this repeats
   until nothing moves (spherical k-means started from the seeds, at most 8 rounds). A contribution
   whose similarity to every theme is below 0.25 goes to "Övrigt", and so does a theme left with fewer
   than `min_notes` contributions.
5. Each theme's suggested name is its most mentioned word, with the second and third when they are in
   at least 40 % of its contributions (and in two at least). Its evidence is the number of contributions
   and of distinct tables, and its most mentioned words with their counts.

Deterministic (ties go to the more frequent word, then alphabetical). Identical contributions are one
weighted point and each round of step 4 is a few numpy operations, so 10,000 short notes take a fraction
of a second (bench/dialogue_analysis.py). The facilitator then renames, merges and splits themes with the
pure functions at the end; storage belongs to the dialogue's services.
"""

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from tillit.core.collation import swedish_sort_key
from tillit.dialogue.analysis.words import Language, WordCount, WordCounter, word_key

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
ContributionId = int | str
TableId = int | str

OTHER_KEY = "_other"
# Words that say how much or how good something is, not what it is about: never a theme of their own,
# although they count in the similarity ("bra kommunikation" belongs with kommunikation, not with "bra
# stämning"; "ökad delaktighet" with delaktighet).
_EVALUATIVE = [
    "bra",
    "bättre",
    "bäst",
    "dålig",
    "dåligt",
    "sämre",
    "viktig",
    "viktigt",
    "god",
    "gott",
    "fin",
    "stor",
    "större",
    "liten",
    "ny",
    "nya",
    "nytt",
    "ökad",
    "ökat",
    "ökade",
    "öka",
    "minskad",
    "minskat",
    "minska",
    "good",
    "better",
    "best",
    "bad",
    "great",
    "important",
    "increased",
]
WEAK_KEYS = frozenset(word_key(word, language=language) for word in _EVALUATIVE for language in ("sv", "en"))

_MIN_SIMILARITY = 0.25
_LIFT = 1.5
_MAX_ROUNDS = 8
_CENTROID_WORDS = 40
_NAME_SHARE = 0.4
_EVIDENCE_WORDS = 5


class ThemeEditError(ValueError):
    """A rename, merge or split that cannot be done, with a message that says why."""


@dataclass(frozen=True, slots=True)
class Contribution:
    """One note: its id, its text and the table it was written at (None for notes from no table)."""

    id: ContributionId
    text: str
    table: TableId | None = None


@dataclass(frozen=True, slots=True)
class Theme:
    """A group of contributions about the same thing.

    `key` identifies the theme in edits (the seed word's key, or `OTHER_KEY`); `suggested_name` is what
    the grouping proposed and `name` what the facilitator decided. `words` are the theme's most mentioned
    words, each counted in the theme's contributions: the evidence of what it is about.
    """

    key: str
    name: str
    suggested_name: str
    contributions: tuple[Contribution, ...]
    words: tuple[WordCount, ...] = ()
    other: bool = False

    @property
    def contribution_ids(self) -> tuple[ContributionId, ...]:
        return tuple(contribution.id for contribution in self.contributions)

    @property
    def notes(self) -> int:
        """Evidence: how many contributions are in the theme."""
        return len(self.contributions)

    @property
    def tables(self) -> int:
        """Evidence: at how many different tables the theme came up."""
        return len(
            {contribution.table for contribution in self.contributions if contribution.table is not None}
        )


@dataclass(frozen=True, slots=True)
class Analysis:
    """The word frequencies and the themes of the same contributions, from one reading of the texts."""

    words: tuple[WordCount, ...]
    themes: tuple[Theme, ...]


def group_into_themes(
    contributions: Sequence[Contribution],
    *,
    max_themes: int = 12,
    min_notes: int = 2,
    language: Language = "sv",
    other_name: str = "Övrigt",
) -> list[Theme]:
    """Groups contributions into at most `max_themes` themes plus "Övrigt", largest first.

    `other_name` is the name of the theme for what fits nowhere; the caller passes it translated.
    """
    analysis = analyse(
        contributions, max_themes=max_themes, min_notes=min_notes, language=language, other_name=other_name
    )
    return list(analysis.themes)


def analyse(
    contributions: Sequence[Contribution],
    *,
    max_themes: int = 12,
    min_notes: int = 2,
    language: Language = "sv",
    other_name: str = "Övrigt",
    limit: int | None = 50,
) -> Analysis:
    """Word frequencies and themes together, reading each text once.

    The same as `word_frequencies(texts, language=language, limit=limit)` and `group_into_themes(...)`,
    for a results page that shows both: the texts are tokenised and keyed only once.
    """
    if max_themes < 1:
        raise ValueError("max_themes must be at least 1")
    counter = WordCounter(language)
    keys_of = [counter.add(contribution.text) for contribution in contributions]
    ranked = counter.most_common(None)
    overall = {count.key: count for count in ranked}
    most_mentioned = tuple(ranked if limit is None else ranked[:limit])

    # Identical contributions (by their linking keys) are one point with a weight.
    linking = {key for key, count in overall.items() if count.count >= 2}
    points: dict[tuple[tuple[str, int], ...], list[int]] = {}
    leftovers: list[int] = []
    for index, keys in enumerate(keys_of):
        signature = tuple(sorted(Counter(key for key in keys if key in linking).items()))
        if signature:
            points.setdefault(signature, []).append(index)
        else:
            leftovers.append(index)
    signatures = list(points)
    members = [points[signature] for signature in signatures]
    vectors = [_tf_idf(signature, overall, len(contributions)) for signature in signatures]

    seeds = _seeds(signatures, members, overall, linking, max_themes, len(contributions))
    assignment = _cluster(vectors, members, seeds) if seeds else [-1] * len(vectors)

    grouped: dict[int, list[int]] = {}
    for point, cluster in enumerate(assignment):
        if cluster < 0:
            leftovers.extend(members[point])
        else:
            grouped.setdefault(cluster, []).extend(members[point])
    themes: list[Theme] = []
    for cluster, indices in grouped.items():
        if len(indices) < min_notes:
            leftovers.extend(indices)
            continue
        indices.sort()
        words = _theme_words((keys_of[index] for index in indices), overall)
        name = _suggest_name(words, len(indices))
        themes.append(
            Theme(
                key=seeds[cluster],
                name=name,
                suggested_name=name,
                contributions=tuple(contributions[index] for index in indices),
                words=words,
            )
        )
    themes.sort(key=lambda theme: (-theme.notes, swedish_sort_key(theme.name), theme.key))
    if leftovers:
        leftovers.sort()
        themes.append(
            Theme(
                key=OTHER_KEY,
                name=other_name,
                suggested_name=other_name,
                contributions=tuple(contributions[index] for index in leftovers),
                words=_theme_words((keys_of[index] for index in leftovers), overall),
                other=True,
            )
        )
    return Analysis(words=most_mentioned, themes=tuple(themes))


def _tf_idf(
    signature: tuple[tuple[str, int], ...], overall: dict[str, WordCount], total: int
) -> dict[str, float]:
    vector = {
        key: (1.0 + math.log(tf)) * (1.0 + math.log(total / overall[key].count)) for key, tf in signature
    }
    norm = math.sqrt(sum(weight * weight for weight in vector.values()))
    return {key: weight / norm for key, weight in vector.items()}


def _seeds(
    signatures: Sequence[tuple[tuple[str, int], ...]],
    members: Sequence[Sequence[int]],
    overall: dict[str, WordCount],
    linking: set[str],
    max_themes: int,
    total: int,
) -> list[str]:
    found: dict[str, list[int]] = {}
    for point, signature in enumerate(signatures):
        for key, _ in signature:
            found.setdefault(key, []).append(point)
    postings = {key: np.array(points, dtype=np.int64) for key, points in found.items()}
    weights = np.array([len(indices) for indices in members], dtype=np.int64)
    # overall is already in order: most contributions first, then most mentions, then alphabetical.
    candidates = [key for key in overall if key in linking and key not in WEAK_KEYS]
    seeds: list[str] = []
    mentions_seed: list[NDArray[np.bool_]] = []
    for key in candidates:
        if len(seeds) == max_themes:
            break
        points, notes = postings[key], overall[key].count
        # Describes a seed: most of its contributions mention that seed, far more than others do.
        if any(
            int(weights[points[mentions[points]]].sum()) / notes
            > max(0.5, _LIFT * overall[seed].count / total)
            for seed, mentions in zip(seeds, mentions_seed, strict=True)
        ):
            continue
        seeds.append(key)
        mask = np.zeros(len(signatures), dtype=np.bool_)
        mask[points] = True
        mentions_seed.append(mask)
    return seeds


def _strongest(centroids: FloatArray) -> FloatArray:
    """Each centroid with only its strongest words (ties: alphabetical), scaled to length 1."""
    pruned = np.zeros_like(centroids)
    for row, centroid in enumerate(centroids):
        # The columns are in alphabetical order of the keys, and a stable sort keeps that among ties.
        strongest = np.argsort(-centroid, kind="stable")[:_CENTROID_WORDS]
        pruned[row, strongest] = centroid[strongest]
    norms = np.linalg.norm(pruned, axis=1, keepdims=True)
    result: FloatArray = np.divide(pruned, norms, out=np.zeros_like(pruned), where=norms > 0)
    return result


def _cluster(
    vectors: Sequence[dict[str, float]], members: Sequence[Sequence[int]], seeds: Sequence[str]
) -> list[int]:
    """Spherical k-means from the seeds: the cluster of each point, or -1 when it resembles none.

    The points are a sparse matrix (one row a point, one column a key) and the centroids a dense one with
    a row per seed, so that each round is a few array operations however many contributions there are.
    """
    columns = {
        key: column for column, key in enumerate(sorted({key for vector in vectors for key in vector}))
    }
    lengths = np.array([len(vector) for vector in vectors], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    keys = np.array([columns[key] for vector in vectors for key in vector], dtype=np.int64)
    point_of = np.repeat(np.arange(len(vectors)), lengths)
    weights = np.array([len(indices) for indices in members], dtype=np.float64)
    values = np.array([value for vector in vectors for value in vector.values()], dtype=np.float64)
    weighted = values * weights[point_of]
    size = len(columns)

    def centroids_of(cluster_of_entry: IntArray) -> FloatArray:
        chosen = cluster_of_entry >= 0
        flat = cluster_of_entry[chosen] * size + keys[chosen]
        totals = np.bincount(flat, weights=weighted[chosen], minlength=len(seeds) * size)
        return _strongest(totals.reshape(len(seeds), size).astype(np.float64))

    # Each seed starts from the contributions that mention it (one contribution may start several).
    centroids = np.vstack(
        [
            centroids_of(np.where(np.isin(point_of, point_of[keys == columns[seed]]), 0, -1))[0]
            for seed in seeds
        ]
    )
    assignment = np.full(len(vectors), -2, dtype=np.int64)
    for _ in range(_MAX_ROUNDS):
        scores = np.add.reduceat(centroids[:, keys] * values, starts, axis=1)
        best = scores.argmax(axis=0)  # the first of equal scores: the more frequent seed
        previous, assignment = assignment, np.where(scores.max(axis=0) > _MIN_SIMILARITY, best, -1)
        if np.array_equal(previous, assignment):
            break
        centroids = centroids_of(assignment[point_of])
    return [int(cluster) for cluster in assignment]


def _theme_words(
    keys_per_note: Iterable[Sequence[str]], overall: dict[str, WordCount]
) -> tuple[WordCount, ...]:
    notes: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    for keys in keys_per_note:
        mentions.update(keys)
        notes.update(set(keys))
    ranked = sorted(
        notes, key=lambda key: (-notes[key], -mentions[key], swedish_sort_key(overall[key].word), key)
    )
    return tuple(
        replace(overall[key], count=notes[key], occurrences=mentions[key]) for key in ranked[:_EVIDENCE_WORDS]
    )


def _suggest_name(words: Sequence[WordCount], notes: int) -> str:
    share = max(2.0, _NAME_SHARE * notes)
    chosen = [words[0].word] + [word.word for word in words[1:3] if word.count >= share]
    name = ", ".join(chosen)
    return name[:1].upper() + name[1:]


# ---------------------------------------------------------------------------------------------------------
# The facilitator's edits: pure functions from a list of themes to a new list.


def _find(themes: Sequence[Theme], key: str) -> int:
    for position, theme in enumerate(themes):
        if theme.key == key:
            return position
    raise ThemeEditError(f"no theme with the key {key!r}")


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ThemeEditError("a theme needs a name")
    return cleaned


def rename(themes: Sequence[Theme], key: str, name: str) -> list[Theme]:
    """The themes with one renamed; its suggested name stays as the grouping proposed it."""
    position = _find(themes, key)
    renamed = list(themes)
    renamed[position] = replace(themes[position], name=_clean_name(name))
    return renamed


def merge(themes: Sequence[Theme], keys: Sequence[str], name: str | None = None) -> list[Theme]:
    """The themes with those of `keys` merged into one, in the place of the first of them in the list.

    The merged theme keeps that first theme's key and, unless `name` is given, its name. Its words are
    the merged themes' words counted together.
    """
    wanted = set(keys)
    if len(wanted) < 2:
        raise ThemeEditError("merging needs at least two different themes")
    positions = sorted(_find(themes, key) for key in wanted)
    parts = [themes[position] for position in positions]
    first = parts[0]
    counts: dict[str, WordCount] = {}
    for part in parts:
        for word in part.words:
            known = counts.get(word.key)
            counts[word.key] = (
                word
                if known is None
                else replace(
                    known,
                    count=known.count + word.count,
                    occurrences=known.occurrences + word.occurrences,
                    variants=tuple(dict.fromkeys(known.variants + word.variants)),
                )
            )
    words = sorted(counts.values(), key=lambda w: (-w.count, -w.occurrences, swedish_sort_key(w.word), w.key))
    merged = replace(
        first,
        name=first.name if name is None else _clean_name(name),
        contributions=tuple(contribution for part in parts for contribution in part.contributions),
        words=tuple(words[:_EVIDENCE_WORDS]),
        other=False,
    )
    result = [theme for position, theme in enumerate(themes) if position not in positions[1:]]
    result[positions[0]] = merged
    return result


def split(
    themes: Sequence[Theme],
    key: str,
    contribution_ids: Iterable[ContributionId],
    name: str | None = None,
    *,
    language: Language = "sv",
) -> list[Theme]:
    """The themes with the given contributions moved out of theme `key` into a new theme right after it.

    Both parts' words are counted again from their texts; the new theme is named `name`, or by its words
    as the grouping would. Its key is the first key with a number ("delaktig#2", "delaktig#3"). Splitting
    notes out of "Övrigt" makes an ordinary theme of them.
    """
    position = _find(themes, key)
    source = themes[position]
    moving = set(contribution_ids)
    unknown = moving - set(source.contribution_ids)
    if unknown:
        raise ThemeEditError(f"not in the theme {key!r}: {sorted(map(str, unknown))}")
    if not moving:
        raise ThemeEditError("choose the contributions to move to the new theme")
    if len(moving) == source.notes:
        raise ThemeEditError("a split must leave at least one contribution in the theme")
    staying = tuple(c for c in source.contributions if c.id not in moving)
    leaving = tuple(c for c in source.contributions if c.id in moving)
    shown_as = {word.key: word.word for theme in themes for word in theme.words}
    new_words = _words_of(leaving, language, shown_as)
    suggested = _suggest_name(new_words, len(leaving)) if new_words else source.name
    # "#" is never part of a word key, so the number cannot be mistaken for part of the word.
    base = key.partition("#")[0]
    taken = {theme.key for theme in themes}
    number = 2
    while f"{base}#{number}" in taken:
        number += 1
    new_theme = Theme(
        key=f"{base}#{number}",
        name=suggested if name is None else _clean_name(name),
        suggested_name=suggested,
        contributions=leaving,
        words=new_words,
    )
    result = list(themes)
    result[position] = replace(source, contributions=staying, words=_words_of(staying, language, shown_as))
    result.insert(position + 1, new_theme)
    return result


def _words_of(
    contributions: Sequence[Contribution], language: Language, shown_as: dict[str, str]
) -> tuple[WordCount, ...]:
    """The most mentioned words of some contributions, each shown as the themes already show it."""
    counter = WordCounter(language)
    for contribution in contributions:
        counter.add(contribution.text)
    words = [replace(word, word=shown_as.get(word.key, word.word)) for word in counter.most_common(None)]
    words.sort(key=lambda w: (-w.count, -w.occurrences, swedish_sort_key(w.word), w.key))
    return tuple(words[:_EVIDENCE_WORDS])

"""Word frequencies that a Swede would count as one word, and a server-side SVG word cloud.

Live word clouds in Mentimeter and Slido count exact strings: "Delaktighet", "delaktighet!" and
"delaktigheten" become three words. Here they are one. Each word is reduced to a grouping key
(`word_key`): casefolded, then the Snowball Swedish stemmer with a few rules on top that keep Swedish word
families together (delaktig, delaktiga, delaktighet, delaktigheten) without merging different words (tid
and tidig). Stop words are left out. The count that matters is how many contributions mention a word,
not how often one person repeats it.

Pure functions, no database: the dialogue's services and views call them with the notes' texts.
"""

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from html import escape
from importlib.resources import files
from typing import Literal

import snowballstemmer  # type: ignore[import-untyped]

from tillit.core.collation import swedish_sort_key

Language = Literal["sv", "en"]
LANGUAGES: tuple[Language, ...] = ("sv", "en")

# A word: letters and digits, joined inside by hyphens ("APT-möte", "e-post") or apostrophes ("don't").
# Swedish inflects abbreviations after a colon ("APT:n", "SMS:en"): the inflection is read and dropped.
# The first group is what ends a sentence before the word, with the spaces, quotes, brackets and bullets
# that may follow it; it is empty when the word is inside a sentence.
_TOKEN = re.compile(
    r"([.!?…:;\n][\s\"'”“„»«()\[\]{}*•·\-–—]*)?([^\W_]+(?:['\-][^\W_]+)*)(?::[^\W\d_]{1,3}(?![^\W_]))?"
)
_HAS_LETTER = re.compile(r"[^\W\d_]")
# Every hyphen and apostrophe people type, as the tokeniser expects them.
_NORMALISE = str.maketrans({"\u2010": "-", "\u2011": "-", "\u00ad": None, "\u2019": "'", "\u02bc": "'"})
_UNUSUAL = re.compile("[\u2010\u2011\u00ad\u2019\u02bc]")


@dataclass(frozen=True, slots=True)
class WordCount:
    """One word as people used it: all its forms counted together.

    `count` is the number of contributions that mention the word (a note that says it three times counts
    once); `occurrences` counts every mention. `word` is the form to show: the most frequent one, lower
    case unless people write it capitalised (a name, an abbreviation). `variants` are the forms seen, most
    frequent first.
    """

    key: str
    word: str
    count: int
    occurrences: int
    variants: tuple[str, ...]


@cache
def stop_words(language: Language = "sv") -> frozenset[str]:
    """The stop words of a language, casefolded, from the stopwords_<language>.txt beside this module."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language: {language!r}")
    text = files("tillit.dialogue.analysis").joinpath(f"stopwords_{language}.txt").read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return frozenset(_fold(line) for line in lines if line and not line.startswith("#"))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(_NORMALISE).casefold()


# Swedish rules applied before Snowball. Each returns the key directly when it matches.
_VOWELS = "aeiouyåäöéü"
# Adjectives in -ig/-lig with their inflections and comparison, and their nouns in -ighet: delaktig,
# delaktiga, delaktigt, delaktigare, delaktighet, delaktigheten, delaktigheterna -> "delaktig". Snowball
# would strip the -ig and merge "tidig" with "tid", "modig" with "mod", "stressig" with "stress".
_IG = re.compile(r"(\w{3,}?ig)(?:het(?:en|er|erna|ens|ernas|ers|s)?|a|t|are|aste|ast|as)?")
# Nouns in -ande/-ende with their definite and plural forms: lärande, lärandet -> "lärande" (Snowball
# makes it "lär", the same as lärare and lära); förtroende, förtroendet, förtroenden -> "förtroende".
_ANDE = re.compile(r"(\w{3,}?[ae]nde)(?:t|ts|s|n|na|nas|ns)?")
# Nouns in -else: förberedelse, förberedelsen, förberedelser -> "förberedelse" (Snowball: "förbered", the
# same as the verb förbereda; förståelse would become "förstå").
_ELSE = re.compile(r"(\w{3,}?else)(?:n|r|rna|ns|rs|rnas)?")
# Nouns in -het: the adjective before it goes on to Snowball (trygghet -> trygg; öppenhet -> öppen -> "öpp"
# like öppen), so that the -et rule below does not take "trygghet" for a definite form.
_HET = re.compile(r"(\w{3,}?)het(?:en|er|erna|ens|ernas|ers|s)?")
# Definite -et after two consonants, which Snowball keeps: engagemanget, samhället, syftet, värdet.
_ET_AFTER_CLUSTER = re.compile(rf"(\w{{2,}}[^{_VOWELS}\W][^{_VOWELS}\W])et")
_ET_WORDS = frozenset({"budget", "internet", "intranet", "target", "ticket", "racket", "cricket", "market"})
# Definite -an of nouns in -a: kollegan, frågan, skolan -> kollega, fråga, skola (Snowball keeps the -an).
_AN_AFTER_CONSONANT = re.compile(rf"(\w{{3,}}[^{_VOWELS}\W]a)n")
_AN_WORDS = ("plan", "man", "organ")
# Definite -n of common nouns that end in a long vowel: arbetsmiljön, ambitionsnivån, idén.
_N_AFTER_VOWEL = ("miljö", "nivå", "idé")


def word_key(token: str, *, language: Language = "sv") -> str:
    """The key under which the forms of one word are counted together.

    Swedish: casefold, then (for a hyphenated compound only its last part, since Swedish inflects the end
    of a compound: "APT-mötet" -> "apt-möt") these rules before Snowball:

    - -ig/-lig adjectives and -ighet nouns share a key, and keep their -ig: delaktig, delaktiga,
      delaktighet, delaktigheten -> "delaktig"; tydliga, tydlighet -> "tydlig"; but tidig -> "tidig", apart
      from tid, tiden -> "tid".
    - -ande/-ende nouns keep their ending: lärande -> "lärande" (not "lär" like lärare); förtroendet ->
      "förtroende".
    - -else nouns keep their ending: förberedelsen -> "förberedelse" (not the verb's "förbered").
    - -het nouns lose the -het before Snowball sees the adjective: trygghet -> trygg like trygga.
    - definite forms Snowball leaves alone lose their ending: -et after two consonants (engagemanget,
      samhället, syftet; not budget), -an after a consonant (kollegan, frågan; not handlingsplan,
      tjänsteman), and -n after miljö, nivå, idé (arbetsmiljön).

    Everything else goes through the Snowball Swedish stemmer twice, because one pass is not always
    stable: ansvaret -> "ansvar" -> "ansv" like ansvar; mötena -> "möten" -> "möt" like möte. Nouns in
    -ning and -tion and the definite and plural endings (-en, -et, -na, -erna, -orna, -arna) are
    Snowball's. English: casefold and the Snowball English stemmer.
    """
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language: {language!r}")
    return _key(_fold(token), language)


@lru_cache(maxsize=65_536)
def _key(folded: str, language: Language) -> str:
    head, hyphen, last = folded.rpartition("-")
    if hyphen and head and last:
        return f"{head}-{_key(last, language)}"
    if language == "en":
        return str(snowballstemmer.stemmer("english").stemWord(folded))
    return _swedish_key(folded)


def _swedish_key(word: str) -> str:
    for rule in (_IG, _ANDE, _ELSE):
        match = rule.fullmatch(word)
        if match:
            return match.group(1)
    stemmer = snowballstemmer.stemmer("swedish")
    match = _HET.fullmatch(word)
    if match:
        word = match.group(1)
    match = _ET_AFTER_CLUSTER.fullmatch(word)
    if match and word not in _ET_WORDS:
        word = match.group(1)
    match = _AN_AFTER_CONSONANT.fullmatch(word)
    if match and not word.endswith(_AN_WORDS):
        word = match.group(1)
    if word.endswith("n") and word[:-1].endswith(_N_AFTER_VOWEL):
        word = word[:-1]
    return str(stemmer.stemWord(stemmer.stemWord(word)))


def tokens(text: str) -> list[tuple[str, bool]]:
    """The words of a text as written, each with whether it begins a sentence (or a line).

    Punctuation and digits-only tokens are dropped; hyphenated compounds stay whole; single letters are
    dropped.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
        if _UNUSUAL.search(text):
            text = text.translate(_NORMALISE)
    # The line break in front makes the first word begin a sentence.
    return [
        (word, bool(end))
        for end, word in _TOKEN.findall("\n" + text)
        if len(word) > 1 and (not word[0].isdigit() or _HAS_LETTER.search(word))
    ]


class WordCounter:
    """Counts the content words of contributions, one contribution at a time.

    `add` returns the keys of one contribution, so that themes can use them without reading the text
    again; `most_common` gives the ranked words.
    """

    def __init__(self, language: Language = "sv") -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language: {language!r}")
        self.language: Language = language
        self.contributions = 0
        self._stop = stop_words(language)
        self._documents: Counter[str] = Counter()
        self._occurrences: Counter[str] = Counter()
        self._key_of: dict[str, str] = {}
        # (folded form, spelling, at the start of a sentence) -> occurrences
        self._spellings: Counter[tuple[str, str, bool]] = Counter()

    def add(self, text: str) -> list[str]:
        """Counts one contribution and returns the keys of its content words, in order, repeats kept."""
        self.contributions += 1
        keys: list[str] = []
        stop, key_of, spellings, occurrences = self._stop, self._key_of, self._spellings, self._occurrences
        for spelling, at_start in tokens(text):
            folded = spelling.casefold()
            if folded in stop:
                continue
            key = key_of.get(folded)
            if key is None:
                key = key_of[folded] = _key(folded, self.language)
            keys.append(key)
            spellings[folded, spelling, at_start] += 1
            occurrences[key] += 1
        documents = self._documents
        for key in set(keys):
            documents[key] += 1
        return keys

    def most_common(self, limit: int | None = 50) -> list[WordCount]:
        """The words mentioned in most contributions, then most often, then alphabetically (Swedish)."""
        # A capital letter that only starts a sentence says nothing about how a word is written, and nor
        # does shouting a long word in capitals; a capital inside a sentence ("Norrköping") or in a short
        # abbreviation ("APT") does. What says nothing decides only when nothing else does, in lower case.
        clear: dict[str, Counter[str]] = {}
        unclear: dict[str, Counter[str]] = {}
        for (folded, spelling, at_start), n in self._spellings.items():
            if (at_start and spelling[1:] == spelling[1:].lower()) or (
                len(spelling) > 5 and spelling.isupper()
            ):
                unclear.setdefault(folded, Counter())[spelling.lower()] += n
            else:
                clear.setdefault(folded, Counter())[spelling] += n
        forms: dict[str, list[tuple[int, str]]] = {}
        for folded in clear.keys() | unclear.keys():
            decided = clear.get(folded) or unclear[folded]
            display = min(decided.items(), key=lambda item: (-item[1], item[0] != item[0].lower(), item[0]))
            total = sum(clear.get(folded, Counter()).values()) + sum(unclear.get(folded, Counter()).values())
            forms.setdefault(self._key_of[folded], []).append((total, display[0]))
        counts = []
        for key, variants in forms.items():
            variants.sort(key=lambda variant: (-variant[0], len(variant[1]), swedish_sort_key(variant[1])))
            counts.append(
                WordCount(
                    key=key,
                    word=variants[0][1],
                    count=self._documents[key],
                    occurrences=self._occurrences[key],
                    variants=tuple(spelling for _, spelling in variants),
                )
            )
        counts.sort(key=lambda c: (-c.count, -c.occurrences, swedish_sort_key(c.word), c.key))
        return counts if limit is None else counts[:limit]


def word_frequencies(
    texts: Iterable[str], *, language: Language = "sv", limit: int | None = 50
) -> list[WordCount]:
    """The most mentioned words of the contributions, forms of one word counted together.

    >>> [(w.word, w.count) for w in word_frequencies(["Delaktighet!", "mer delaktighet", "Tid", "tiden"])]
    [('delaktighet', 2), ('tid', 2)]
    """
    counter = WordCounter(language)
    for text in texts:
        counter.add(text)
    return counter.most_common(limit)


# ---------------------------------------------------------------------------------------------------------
# The word cloud

# Text colours with a contrast of at least 4.5:1 on white (WCAG 2.1 AA for normal text), most frequent first.
CLOUD_COLOURS = ("#1d4e89", "#8a2d0f", "#2e6b30", "#6b2c91", "#005f66", "#7a4b00", "#a3153f", "#3d4852")
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
# Approximate advance widths in em of a semi-bold sans-serif, generous so that words never overlap.
_NARROW, _WIDE = frozenset("fijlrt'-.,:;!|"), frozenset("mwåäöMW")
_LINE_HEIGHT = 1.15
_PADDING = 3.0
_FILL = 0.5
_SMALLEST_FONT = 9.0


def _text_width(word: str, size: float) -> float:
    ems = 0.0
    for char in word:
        if char in _NARROW:
            ems += 0.4
        elif char in _WIDE:
            ems += 0.95
        elif char.isupper():
            ems += 0.78
        else:
            ems += 0.66
    return ems * size


def _font_sizes(counts: Sequence[WordCount], smallest: float, largest: float) -> list[float]:
    low, high = counts[-1].count, counts[0].count
    if high == low:
        return [(smallest + largest) / 2] * len(counts)
    # Square root, so that one dominant word does not shrink all the others to the smallest size.
    span = math.sqrt(high) - math.sqrt(low)
    return [smallest + (largest - smallest) * (math.sqrt(c.count) - math.sqrt(low)) / span for c in counts]


def _box_sizes(counts: Sequence[WordCount], sizes: Sequence[float]) -> list[tuple[float, float]]:
    """Half the width and half the height of each word's box, padding included."""
    return [
        (_text_width(count.word, size) / 2 + _PADDING, size * _LINE_HEIGHT / 2 + _PADDING)
        for count, size in zip(counts, sizes, strict=True)
    ]


@lru_cache(maxsize=16)
def _spiral(width: float, height: float) -> tuple[tuple[float, float], ...]:
    """Points on an elliptic spiral out from the middle, about 4 px apart, that lie inside the picture."""
    stretch = math.sqrt(width / height)
    # Beyond this radius every point of the ellipse lies outside the picture.
    reach = math.sqrt(width * height / 2)
    points = []
    angle = 0.0
    while (radius := 2.0 * angle) <= reach:
        x = width / 2 + radius * math.cos(angle) * stretch
        y = height / 2 + radius * math.sin(angle) / stretch
        if 0 <= x <= width and 0 <= y <= height:
            points.append((x, y))
        angle += max(0.02, min(0.5, 4.0 / max(radius, 1.0)))
    return tuple(points)


def _layout(
    halves: Sequence[tuple[float, float]], width: float, height: float, *, skip: bool = False
) -> list[tuple[float, float] | None] | None:
    """Centres for the boxes, each at the first point of the spiral where it fits.

    A box that fits nowhere makes the whole layout None, or with `skip` gets None as its centre.
    """
    spiral = _spiral(width, height)
    placed: list[tuple[float, float, float, float]] = []
    centres: list[tuple[float, float] | None] = []
    for half_width, half_height in halves:
        blocker: tuple[float, float, float, float] | None = None
        centre = None
        for x, y in spiral:
            left, top, right, bottom = x - half_width, y - half_height, x + half_width, y + half_height
            if left < 0 or top < 0 or right > width or bottom > height:
                continue
            # The box that blocked the last point most often blocks the next one too: try it first.
            if (
                blocker
                and left < blocker[2]
                and blocker[0] < right
                and top < blocker[3]
                and blocker[1] < bottom
            ):
                continue
            blocker = next(
                (o for o in placed if left < o[2] and o[0] < right and top < o[3] and o[1] < bottom), None
            )
            if blocker is None:
                placed.append((left, top, right, bottom))
                centre = (x, y)
                break
        if centre is None and not skip:
            return None
        centres.append(centre)
    return centres


def word_cloud_svg(
    counts: Sequence[WordCount],
    *,
    width: int = 720,
    height: int = 400,
    label: str = "Ordmoln",
    summary_words: int = 10,
    max_words: int = 100,
) -> str:
    """A word cloud as a standalone SVG: no script, the same picture for the same counts.

    The most frequent word is in the centre; font size grows with the square root of the number of
    contributions; words are horizontal and never overlap. When the words do not fit, the largest shrink
    first so that the smallest stay readable, then all of them; as a last resort the least frequent words
    are left out. At most `max_words` words are drawn.

    Screen readers get `role="img"` with a label and a `<title>`: `label` (translated by the caller) and
    the top `summary_words` words with their counts. The ranked list beside the picture is the accessible
    version of the whole.
    """
    ranked = sorted(counts, key=lambda c: -c.count)[:max_words]
    summary = ", ".join(f"{c.word} ({c.count})" for c in ranked[:summary_words])
    title = f"{label}: {summary}" if summary else label
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}" class="word-cloud">',
        f"<title>{escape(title, quote=False)}</title>",
    ]
    if ranked:
        # The most frequent word alone must fit across; all words together fill at most half the picture,
        # beyond which a spiral rarely finds room for the last ones. When they do not fit, the largest
        # words shrink first, so that the smallest stay readable.
        largest = min(height / 4.5, 88.0, width * 0.9 / _text_width(ranked[0].word, 1.0))
        smallest = min(13.0, largest)
        layout = None
        sizes = _font_sizes(ranked, smallest, largest)
        attempts = 0
        while layout is None and smallest >= _SMALLEST_FONT and attempts < 8:
            sizes = _font_sizes(ranked, smallest, largest)
            halves = _box_sizes(ranked, sizes)
            if (
                sum(4 * half_width * half_height for half_width, half_height in halves)
                <= width * height * _FILL
            ):
                attempts += 1
                layout = _layout(halves, width, height)
            if largest > smallest * 1.6:
                largest *= 0.9
            else:
                smallest, largest = smallest * 0.9, largest * 0.9
        if layout is None:
            # Far too many words for the picture even at the smallest size: those that find room.
            layout = _layout(_box_sizes(ranked, sizes), width, height, skip=True)
        parts.append(f'<g font-family="{escape(_FONT)}" font-weight="600" text-anchor="middle">')
        placed = [
            (count, size, centre)
            for count, size, centre in zip(ranked, sizes, layout or [], strict=True)
            if centre
        ]
        for rank, (count, size, (x, y)) in enumerate(placed):
            parts.append(
                f'<text x="{x:.1f}" y="{y + size * 0.35:.1f}" font-size="{size:.1f}" '
                f'fill="{CLOUD_COLOURS[rank % len(CLOUD_COLOURS)]}">{escape(count.word, quote=False)}</text>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)

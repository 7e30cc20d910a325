"""Opinion groups, consensus and divisive statements from a vote matrix, computed the way pol.is does.

The plenary agreement round asks everyone to agree (1), disagree (-1) or pass (0) on short statements. From
that vote matrix this module finds opinion groups with the method of Polis (PCA to two dimensions, k-means
into about 100 base clusters, then k-means over the base clusters for 2–5 groups, the silhouette choosing
how many), and then which statements nearly everyone agrees with (group-aware consensus) and which divide
the groups. docs/opinion-groups.md explains each step, what it takes from Polis' Clojure source and where
it differs.

Pure numpy: no database, no Django. Deterministic for a given ``seed``.
"""

from __future__ import annotations

import csv
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]

AGREE = 1.0
DISAGREE = -1.0
PASS = 0.0

MIN_VOTES = 7
"""A participant is grouped once they have voted on this many statements (or on all, if there are fewer)."""
GREEDY_PARTICIPANTS = 15
"""While fewer participants than this reach MIN_VOTES, the most active voters are grouped as well."""
BASE_CLUSTERS = 100
"""Participants are first summarised into at most this many base clusters; groups are made of those."""
DEFAULT_K_RANGE = range(2, 6)
Z_90 = 1.2816
"""One-sided z value for 90 % confidence, Polis' significance level for representative statements."""

_BASE_DRAWS = 5
_GROUP_RESTARTS = 20
_MAX_ITERATIONS = 100

_POLIS_METADATA_COLUMNS = frozenset(
    {"participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"}
)


@dataclass(frozen=True, eq=False)
class VoteMatrix:
    """Votes of participants (rows) on statements (columns): 1 agree, -1 disagree, 0 pass, NaN not seen.

    ``moderated_out`` names statements that were moderated away: their votes count towards how active a
    participant is (as in Polis) but they take no part in the grouping or in any statement list.
    """

    participants: tuple[str, ...]
    statements: tuple[str, ...]
    votes: Floats
    moderated_out: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        votes = np.array(self.votes, dtype=np.float64)
        if votes.ndim != 2 or votes.shape != (len(self.participants), len(self.statements)):
            raise ValueError(
                f"votes must have shape ({len(self.participants)}, {len(self.statements)}), not {votes.shape}"
            )
        if len(set(self.participants)) != len(self.participants):
            raise ValueError("participant ids must be unique")
        if len(set(self.statements)) != len(self.statements):
            raise ValueError("statement ids must be unique")
        seen = votes[~np.isnan(votes)]
        if not np.isin(seen, (AGREE, DISAGREE, PASS)).all():
            raise ValueError("votes must be 1 (agree), -1 (disagree), 0 (pass) or NaN (not seen)")
        unknown = self.moderated_out - set(self.statements)
        if unknown:
            raise ValueError(f"moderated_out names unknown statements: {sorted(unknown)}")
        votes.setflags(write=False)
        object.__setattr__(self, "votes", votes)

    @classmethod
    def from_votes(
        cls, votes: Iterable[tuple[str, str, float]], *, moderated_out: Iterable[str] = ()
    ) -> VoteMatrix:
        """Builds the matrix from (participant, statement, vote) triples; a later vote replaces an earlier one.

        Rows and columns keep the order in which participants and statements first appear.
        """
        participant_index: dict[str, int] = {}
        statement_index: dict[str, int] = {}
        cells: dict[tuple[int, int], float] = {}
        for participant, statement, vote in votes:
            row = participant_index.setdefault(participant, len(participant_index))
            column = statement_index.setdefault(statement, len(statement_index))
            cells[row, column] = float(vote)
        matrix = np.full((len(participant_index), len(statement_index)), np.nan)
        for (row, column), vote in cells.items():
            matrix[row, column] = vote
        return cls(
            participants=tuple(participant_index),
            statements=tuple(statement_index),
            votes=matrix,
            moderated_out=frozenset(moderated_out),
        )


@dataclass(frozen=True)
class GroupStatementStats:
    """How one group voted on one statement. Probabilities carry a uniform Beta(1, 1) prior, as in Polis."""

    agree: int
    disagree: int
    passed: int

    @property
    def seen(self) -> int:
        return self.agree + self.disagree + self.passed

    @property
    def p_agree(self) -> float:
        return (self.agree + 1) / (self.seen + 2)

    @property
    def p_disagree(self) -> float:
        return (self.disagree + 1) / (self.seen + 2)


@dataclass(frozen=True, eq=False)
class OpinionGroups:
    """The grouping of one vote matrix.

    ``labels[i]`` is the group (0 is the largest) of ``participants[i]``, or -1 where the participant was
    left out for voting on too few statements. ``projection[i]`` is the participant's place on the opinion
    map (the two principal components, NaN for participants without a vote on an active statement).
    ``statements`` are the active statements (not moderated out, at least one vote); ``agree``,
    ``disagree`` and ``passed`` count, per group (rows) and active statement (columns), the votes of the
    grouped participants.
    """

    participants: tuple[str, ...]
    statements: tuple[str, ...]
    labels: Ints
    k: int
    silhouettes: Mapping[int, float]
    projection: Floats
    agree: Ints
    disagree: Ints
    passed: Ints

    @property
    def groups(self) -> dict[str, int | None]:
        """Each participant's group, None where left out."""
        return {
            participant: (int(label) if label >= 0 else None)
            for participant, label in zip(self.participants, self.labels, strict=True)
        }

    @property
    def group_sizes(self) -> tuple[int, ...]:
        return tuple(int(size) for size in np.bincount(self.labels[self.labels >= 0], minlength=self.k))

    @property
    def seen(self) -> Ints:
        return self.agree + self.disagree + self.passed

    @property
    def p_agree(self) -> Floats:
        """Per group and statement, (agree + 1) / (seen + 2)."""
        return (self.agree + 1.0) / (self.seen + 2.0)

    @property
    def p_disagree(self) -> Floats:
        return (self.disagree + 1.0) / (self.seen + 2.0)

    def statement_stats(self, statement: str) -> tuple[GroupStatementStats, ...]:
        """How each group voted on ``statement``."""
        column = self.statements.index(statement)
        return tuple(
            GroupStatementStats(
                agree=int(self.agree[group, column]),
                disagree=int(self.disagree[group, column]),
                passed=int(self.passed[group, column]),
            )
            for group in range(self.k)
        )


def compute_opinion_groups(
    votes: VoteMatrix, *, k_range: range = DEFAULT_K_RANGE, seed: int = 0
) -> OpinionGroups:
    """Groups the participants of ``votes`` into opinion groups, as Polis does.

    1. Participants with at least ``min(7, statements)`` votes are grouped (counting votes on moderated
       statements too); while fewer than 15 qualify, the most active voters are added.
    2. Missing votes are imputed with the statement's mean vote, and PCA finds the two main directions of
       disagreement, over every voter.
    3. Each participant is projected from their own votes only, and pushed outwards by
       sqrt(statements / statements they voted on), so that sparse voters are not drawn to the centre
       merely for having seen less (moderated statements count in both terms, as in Polis).
    4. The grouped participants are summarised into at most 100 base clusters (k-means).
    5. Weighted k-means over the base clusters for each k in ``k_range`` (at most 2 + base clusters / 12);
       the k with the highest silhouette (averaged over five draws of the base clusters) wins, the
       smaller k on a tie.
    """
    if not k_range or k_range.start < 2 or k_range.step != 1:
        raise ValueError("k_range must be a non-empty range of group counts from 2 upwards, step 1")
    rng = np.random.default_rng(seed)
    n_participants = len(votes.participants)

    in_conversation = _participants_to_group(votes.votes)
    active = _active_statements(votes)
    active_votes = votes.votes[:, active]
    moderated_with_votes = int((~active & ~np.isnan(votes.votes).all(axis=0)).sum())
    projection = _project(active_votes, moderated_with_votes)

    labels = np.full(n_participants, -1, dtype=np.int64)
    silhouettes: dict[int, float] = {}
    k = 0
    grouped_rows = np.flatnonzero(in_conversation)
    if grouped_rows.size:
        base_of_row, base_labels, silhouettes = _groups(projection[grouped_rows], k_range, rng)
        k = int(base_labels.max()) + 1
        labels[grouped_rows] = base_labels[base_of_row]
        labels = _relabel_by_size(labels, k)

    has_active_vote = ~np.isnan(active_votes).all(axis=1)
    projection[~has_active_vote] = np.nan
    agree, disagree, passed = _group_counts(active_votes, labels, k)
    return OpinionGroups(
        participants=votes.participants,
        statements=tuple(s for s, keep in zip(votes.statements, active, strict=True) if keep),
        labels=labels,
        k=k,
        silhouettes=silhouettes,
        projection=projection,
        agree=agree,
        disagree=disagree,
        passed=passed,
    )


def _participants_to_group(votes: Floats) -> Bools:
    """Polis' in-conversation rule (conversation.clj, :in-conv), computed once rather than kept over time."""
    seen = ~np.isnan(votes)
    vote_counts = seen.sum(axis=1)
    n_statements = int(seen.any(axis=0).sum())
    chosen: Bools = (vote_counts >= min(MIN_VOTES, n_statements)) & (vote_counts > 0)
    missing = GREEDY_PARTICIPANTS - int(chosen.sum())
    if missing > 0:
        candidates = np.flatnonzero(~chosen & (vote_counts > 0))
        most_active_first = candidates[np.argsort(-vote_counts[candidates], kind="stable")]
        chosen[most_active_first[:missing]] = True
    return chosen


def _active_statements(votes: VoteMatrix) -> Bools:
    moderated = np.array([s in votes.moderated_out for s in votes.statements], dtype=np.bool_)
    has_votes: Bools = ~np.isnan(votes.votes).all(axis=0)
    return has_votes & ~moderated


def _principal_components(votes: Floats) -> tuple[Floats, Floats]:
    """Centre (the statements' mean votes) and the two leading principal components of the imputed matrix.

    Imputing a missing vote with the statement's mean makes it zero once centred, so the covariance is
    computed from the centred votes with zeros for the gaps. Polis reaches the same components by power
    iteration; an exact eigendecomposition of the statements × statements matrix gives them without
    depending on a start vector. Each component's sign is fixed so that its largest loading is positive.
    """
    n_statements = votes.shape[1]
    components = np.zeros((2, n_statements))
    if n_statements == 0:
        return np.zeros(0), components
    seen = ~np.isnan(votes)
    counts = seen.sum(axis=0)
    center = np.where(seen, votes, 0.0).sum(axis=0) / np.maximum(counts, 1)
    centred = np.where(seen, votes - center, 0.0)
    eigenvalues, eigenvectors = np.linalg.eigh(centred.T @ centred)
    for component in range(min(2, n_statements)):
        vector = eigenvectors[:, n_statements - 1 - component]
        if eigenvalues[n_statements - 1 - component] <= 1e-12:
            break
        largest = int(np.argmax(np.abs(vector)))
        components[component] = vector if vector[largest] > 0 else -vector
    return center, components


def _project(votes: Floats, moderated_with_votes: int) -> Floats:
    """Sparsity-aware projection (pca.clj, sparsity-aware-project-ptpt) of every participant.

    The projection from a participant's own votes is scaled by sqrt(statements / votes). Polis zeroes the
    columns of moderated-out statements (named_matrix.clj, zero-out-columns) instead of dropping them, so in
    its count every participant has "voted" on each of them: they add to both terms. We count them the
    same way, which softens the push outwards when many statements were moderated away.
    """
    n_participants, n_statements = votes.shape
    if n_statements == 0:
        return np.zeros((n_participants, 2))
    center, components = _principal_components(votes)
    seen = ~np.isnan(votes)
    centred = np.where(seen, votes - center, 0.0)
    scale = np.sqrt((n_statements + moderated_with_votes) / (seen.sum(axis=1) + moderated_with_votes).clip(1))
    projection: Floats = (centred @ components.T) * scale[:, None]
    return projection


def _groups(points: Floats, k_range: range, rng: np.random.Generator) -> tuple[Ints, Ints, dict[int, float]]:
    """Base clusters, then groups of base clusters; returns each point's base cluster, each base cluster's
    group, and the mean silhouette per k.

    Polis debounces k over time (conversation.clj, group-k-smoother: a new k must win four updates in a
    row). Computing once, we get the same robustness by drawing the base clusters several times and taking
    the k whose silhouette is highest on average; the grouping is then the draw's with the best silhouette
    at that k.
    """
    draws = [_base_clusters(points, rng) for _ in range(_BASE_DRAWS if len(points) > BASE_CLUSTERS else 1)]
    per_draw = [_clusterings_by_k(centers, weights, k_range, rng) for centers, weights, _ in draws]
    shared_ks = sorted(set.intersection(*(set(clusterings) for clusterings in per_draw)))
    if not shared_ks:
        return draws[0][2], np.zeros(len(draws[0][0]), dtype=np.int64), {}
    silhouettes = {k: float(np.mean([clusterings[k][0] for clusterings in per_draw])) for k in shared_ks}
    best_k = shared_ks[0]
    for k in shared_ks[1:]:
        if silhouettes[k] > silhouettes[best_k] + 1e-12:
            best_k = k
    best_draw = max(range(len(draws)), key=lambda draw: per_draw[draw][best_k][0])
    return draws[best_draw][2], per_draw[best_draw][best_k][1], silhouettes


def _base_clusters(points: Floats, rng: np.random.Generator) -> tuple[Floats, Floats, Ints]:
    """Summarises the participants' points into at most BASE_CLUSTERS weighted centres.

    Returns the centres, their weights (participants in each) and, for each point, its base cluster.
    Identical points always share a base cluster; with at most BASE_CLUSTERS distinct points each
    distinct point is its own base cluster.
    """
    distinct, inverse, multiplicity = np.unique(points, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    weights = multiplicity.astype(np.float64)
    if len(distinct) <= BASE_CLUSTERS:
        return distinct, weights, inverse.astype(np.int64)
    labels, centers, _ = _kmeans(distinct, weights, BASE_CLUSTERS, rng, restarts=1)
    base_weights = np.bincount(labels, weights=weights, minlength=BASE_CLUSTERS)
    return centers, base_weights, labels[inverse]


def _clusterings_by_k(
    centers: Floats, weights: Floats, k_range: range, rng: np.random.Generator
) -> dict[int, tuple[float, Ints]]:
    """Weighted k-means over the base clusters for each allowed k, with its silhouette.

    Polis allows at most 2 + base clusters / 12 groups (conversation.clj, max-k-fn), so that small
    conversations are not split into many tiny groups; when that rules out all of ``k_range``, its smallest
    k is used.
    """
    n_base = len(centers)
    if n_base < 2:
        return {}
    largest_k = min(2 + n_base // 12, n_base)
    candidates = [k for k in k_range if k <= largest_k] or [min(k_range.start, n_base)]
    distances = _pairwise_distances(centers)
    clusterings: dict[int, tuple[float, Ints]] = {}
    for k in candidates:
        labels, _, _ = _kmeans(centers, weights, k, rng, restarts=_GROUP_RESTARTS)
        clusterings[k] = (_silhouette(distances, labels), labels)
    return clusterings


def _kmeans(
    points: Floats, weights: Floats, k: int, rng: np.random.Generator, *, restarts: int
) -> tuple[Ints, Floats, float]:
    """Weighted Lloyd k-means with k-means++ starts; the run with the lowest weighted inertia wins.

    ``points`` must be distinct, so every one of the k clusters can be kept non-empty.
    """
    best: tuple[Ints, Floats, float] | None = None
    for _ in range(restarts):
        centers = _kmeans_plus_plus(points, weights, k, rng)
        labels = np.full(len(points), -1, dtype=np.int64)
        for _ in range(_MAX_ITERATIONS):
            squared = _squared_distances(points, centers)
            new_labels = squared.argmin(axis=1)
            _refill_empty_clusters(new_labels, squared, k)
            if np.array_equal(new_labels, labels):
                break
            labels = new_labels
            totals = np.zeros((k, points.shape[1]))
            np.add.at(totals, labels, points * weights[:, None])
            centers = totals / np.bincount(labels, weights=weights, minlength=k)[:, None]
        inertia = float((weights * _squared_distances(points, centers)[np.arange(len(points)), labels]).sum())
        if best is None or inertia < best[2] - 1e-12:
            best = (labels, centers, inertia)
    assert best is not None
    return best


def _kmeans_plus_plus(points: Floats, weights: Floats, k: int, rng: np.random.Generator) -> Floats:
    chosen = [int(rng.choice(len(points), p=weights / weights.sum()))]
    closest = _squared_distances(points, points[chosen]).min(axis=1)
    while len(chosen) < k:
        odds = weights * closest
        total = odds.sum()
        if total <= 0:
            remaining = np.setdiff1d(np.arange(len(points)), chosen)
            chosen.append(int(remaining[0]))
        else:
            chosen.append(int(rng.choice(len(points), p=odds / total)))
        closest = np.minimum(closest, _squared_distances(points, points[chosen[-1:]])[:, 0])
    return points[chosen].copy()


def _refill_empty_clusters(labels: Ints, squared: Floats, k: int) -> None:
    """Moves the point farthest from its centre into each empty cluster (in place)."""
    for cluster in range(k):
        if not (labels == cluster).any():
            sizes = np.bincount(labels, minlength=k)
            own = squared[np.arange(len(labels)), labels]
            own[sizes[labels] <= 1] = -1.0
            labels[int(np.argmax(own))] = cluster


def _squared_distances(points: Floats, centers: Floats) -> Floats:
    squared: Floats = (
        (points**2).sum(axis=1)[:, None] + (centers**2).sum(axis=1)[None, :] - 2.0 * points @ centers.T
    )
    return np.maximum(squared, 0.0)


def _pairwise_distances(points: Floats) -> Floats:
    distances: Floats = np.sqrt(_squared_distances(points, points))
    return distances


def _silhouette(distances: Floats, labels: Ints) -> float:
    """Mean silhouette over the base clusters, unweighted as in Polis; members of singletons count 0."""
    k = int(labels.max()) + 1
    membership = np.zeros((len(labels), k))
    membership[np.arange(len(labels)), labels] = 1.0
    sizes = membership.sum(axis=0)
    totals = distances @ membership
    rows = np.arange(len(labels))
    own_size = sizes[labels]
    within = totals[rows, labels] / np.maximum(own_size - 1, 1)
    to_others = totals / np.where(sizes > 0, sizes, np.inf)
    to_others[rows, labels] = np.inf
    to_others[:, sizes == 0] = np.inf
    nearest = to_others.min(axis=1)
    larger = np.maximum(within, nearest)
    scores = np.where(
        (own_size > 1) & (larger > 0), (nearest - within) / np.where(larger > 0, larger, 1), 0.0
    )
    return float(scores.mean())


def _relabel_by_size(labels: Ints, k: int) -> Ints:
    """Numbers the groups by size, largest first (ties: the group of the earlier participant first)."""
    grouped = labels >= 0
    sizes = np.bincount(labels[grouped], minlength=k)
    first_member = np.array([int(np.flatnonzero(labels == group)[0]) for group in range(k)])
    order = sorted(range(k), key=lambda group: (-sizes[group], first_member[group]))
    mapping = np.empty(k, dtype=np.int64)
    mapping[order] = np.arange(k)
    relabelled = labels.copy()
    relabelled[grouped] = mapping[labels[grouped]]
    return relabelled


def _group_counts(votes: Floats, labels: Ints, k: int) -> tuple[Ints, Ints, Ints]:
    membership = np.zeros((k, len(labels)))
    grouped = np.flatnonzero(labels >= 0)
    membership[labels[grouped], grouped] = 1.0
    counts = [
        np.rint(membership @ (votes == value).astype(np.float64)).astype(np.int64)
        for value in (AGREE, DISAGREE, PASS)
    ]
    return counts[0], counts[1], counts[2]


# Statements: consensus, division, what characterises a group


@dataclass(frozen=True)
class ConsensusStatement:
    statement: str
    score: float
    """Product over the groups of each group's probability of agreeing (or disagreeing)."""
    probability_by_group: tuple[float, ...]


@dataclass(frozen=True)
class DivisiveStatement:
    statement: str
    score: float
    """Half the gap between the most and the least agreeing group's lean, 0 (no gap) to 1."""
    lean_by_group: tuple[float, ...]
    """Per group, P(agree) − P(disagree), from −1 (all disagree) to 1 (all agree)."""
    most_agreeing_group: int
    least_agreeing_group: int
    z: float
    """Two-proportion z statistic of the agree rates of those two groups."""


@dataclass(frozen=True)
class RepresentativeStatement:
    statement: str
    direction: Literal["agree", "disagree"]
    probability: float
    """The group's probability of voting that way."""
    ratio: float
    """That probability relative to everyone else's."""
    z: float
    """Two-proportion z statistic, the group against everyone else."""


def consensus_statements(
    groups: OpinionGroups,
    *,
    direction: Literal["agree", "disagree"] = "agree",
    limit: int = 5,
    min_probability: float = 0.5,
) -> list[ConsensusStatement]:
    """Statements that every group agrees with (or rejects): Polis' group-aware consensus.

    The score of a statement is the product over groups of (votes that way + 1) / (votes + 2), so one
    group that does not share the view is enough to sink it, however large the others are. Only statements
    where every group's probability exceeds ``min_probability`` are returned, best first.
    """
    if groups.k == 0:
        return []
    probabilities = groups.p_agree if direction == "agree" else groups.p_disagree
    scores = probabilities.prod(axis=0)
    qualifies = (probabilities > min_probability).all(axis=0)
    order = [int(c) for c in np.argsort(-scores, kind="stable") if qualifies[c]]
    return [
        ConsensusStatement(
            statement=groups.statements[column],
            score=float(scores[column]),
            probability_by_group=tuple(float(p) for p in probabilities[:, column]),
        )
        for column in order[:limit]
    ]


def divisive_statements(groups: OpinionGroups, *, limit: int = 5) -> list[DivisiveStatement]:
    """Statements on which the groups differ most, best first.

    Each group's lean is P(agree) − P(disagree) (with the Beta(1, 1) prior); the score is half the gap
    between the highest and the lowest lean. A statement counts only when the agree rates of those two
    groups differ significantly (two-proportion z-test at 90 %, Polis' level for representative
    statements), so a small group's few votes cannot make a statement look divisive.
    """
    if groups.k < 2:
        return []
    lean = groups.p_agree - groups.p_disagree
    most = lean.argmax(axis=0)
    least = lean.argmin(axis=0)
    columns = np.arange(len(groups.statements))
    scores = (lean[most, columns] - lean[least, columns]) / 2
    z = _two_proportion_z(
        groups.agree[most, columns],
        groups.agree[least, columns],
        groups.seen[most, columns],
        groups.seen[least, columns],
    )
    order = [int(c) for c in np.argsort(-scores, kind="stable") if z[c] > Z_90]
    return [
        DivisiveStatement(
            statement=groups.statements[column],
            score=float(scores[column]),
            lean_by_group=tuple(float(value) for value in lean[:, column]),
            most_agreeing_group=int(most[column]),
            least_agreeing_group=int(least[column]),
            z=float(z[column]),
        )
        for column in order[:limit]
    ]


def representative_statements(
    groups: OpinionGroups, group: int, *, limit: int = 5
) -> list[RepresentativeStatement]:
    """What sets ``group`` apart from everyone else: Polis' representativeness (repness.clj).

    For each statement the group's agree (and disagree) probability is compared with the rest's: the ratio
    of the two and a two-proportion z-test. A statement is representative when both that test and a test
    that the group leans that way at all are significant at 90 %; they are ranked by
    ratio × z × probability × its test, as Polis does.
    """
    if not 0 <= group < groups.k:
        raise ValueError(f"group must be between 0 and {groups.k - 1}")
    rest = np.arange(groups.k) != group
    results: list[tuple[float, RepresentativeStatement]] = []
    for direction, counts in (("agree", groups.agree), ("disagree", groups.disagree)):
        in_count, in_seen = counts[group], groups.seen[group]
        out_count, out_seen = counts[rest].sum(axis=0), groups.seen[rest].sum(axis=0)
        probability = (in_count + 1.0) / (in_seen + 2.0)
        ratio = probability / ((out_count + 1.0) / (out_seen + 2.0))
        ratio_z = _two_proportion_z(in_count, out_count, in_seen, out_seen)
        probability_z = 2 * np.sqrt(in_seen + 1.0) * ((in_count + 1.0) / (in_seen + 1.0) - 0.5)
        passes = (ratio_z > Z_90) & (probability_z > Z_90)
        for column in np.flatnonzero(passes):
            metric = float(ratio[column] * ratio_z[column] * probability[column] * probability_z[column])
            results.append(
                (
                    metric,
                    RepresentativeStatement(
                        statement=groups.statements[column],
                        direction="agree" if direction == "agree" else "disagree",
                        probability=float(probability[column]),
                        ratio=float(ratio[column]),
                        z=float(ratio_z[column]),
                    ),
                )
            )
    results.sort(key=lambda item: -item[0])
    return [statement for _, statement in results[:limit]]


def _two_proportion_z(success_in: Ints, success_out: Ints, trials_in: Ints, trials_out: Ints) -> Floats:
    """Polis' two-proportion z-test (stats.clj, two-prop-test), each count with a pseudocount of one."""
    s1, s2 = success_in + 1.0, success_out + 1.0
    n1, n2 = trials_in + 1.0, trials_out + 1.0
    pooled = (s1 + s2) / (n1 + n2)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z: Floats = np.where(spread > 0, (s1 / n1 - s2 / n2) / np.where(spread > 0, spread, 1.0), 0.0)
    return z


# Comparing groupings


@dataclass(frozen=True)
class GroupingComparison:
    adjusted_rand_index: float
    """Over the participants that both groupings put in a group."""
    grouped_by_both: int
    grouped_only_by_first: int
    grouped_only_by_second: int
    k_first: int
    k_second: int


def adjusted_rand_index(first: Sequence[Hashable], second: Sequence[Hashable]) -> float:
    """Hubert and Arabie's adjusted Rand index of two labelings of the same items.

    1 for identical partitions (whatever the label names), about 0 for chance agreement, negative below
    chance. When both labelings are trivial in the same way (one cluster, or all singletons) it is 1.
    """
    if len(first) != len(second):
        raise ValueError("both labelings must label the same items")
    n = len(first)
    if n < 2:
        return 1.0
    _, first_codes = np.unique(np.array([str(label) for label in first]), return_inverse=True)
    _, second_codes = np.unique(np.array([str(label) for label in second]), return_inverse=True)
    table = np.zeros((int(first_codes.max()) + 1, int(second_codes.max()) + 1))
    np.add.at(table, (first_codes, second_codes), 1.0)

    def pairs(counts: Floats) -> float:
        return float((counts * (counts - 1) / 2).sum())

    together_both = pairs(table)
    together_first = pairs(table.sum(axis=1))
    together_second = pairs(table.sum(axis=0))
    expected = together_first * together_second / (n * (n - 1) / 2)
    maximum = (together_first + together_second) / 2
    if maximum == expected:
        return 1.0
    return (together_both - expected) / (maximum - expected)


def compare_groupings(
    first: Mapping[str, int | None], second: Mapping[str, int | None]
) -> GroupingComparison:
    """Adjusted Rand index over the participants both groupings grouped, and how many each left out."""
    both = [p for p, group in first.items() if group is not None and second.get(p) is not None]
    return GroupingComparison(
        adjusted_rand_index=adjusted_rand_index([first[p] for p in both], [second[p] for p in both]),
        grouped_by_both=len(both),
        grouped_only_by_first=sum(
            1 for p, group in first.items() if group is not None and second.get(p) is None
        ),
        grouped_only_by_second=sum(
            1 for p, group in second.items() if group is not None and first.get(p) is None
        ),
        k_first=len({group for group in first.values() if group is not None}),
        k_second=len({group for group in second.values() if group is not None}),
    )


# Reading Polis exports


def read_polis_votes(path: Path | str) -> tuple[VoteMatrix, dict[str, int | None]]:
    """Reads a Polis ``participants-votes.csv`` export: the votes, and the group Polis gave each participant.

    Columns other than Polis' own (participant, xid, group-id, n-comments, n-votes, n-agree, n-disagree)
    are statements, with 1 / -1 / 0 / blank (not seen). When ``comments.csv`` lies beside it, comments
    with ``moderated`` = -1 are marked moderated out.
    """
    path = Path(path)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    if not rows or "participant" not in rows[0] or "group-id" not in rows[0]:
        raise ValueError(
            f"{path} is not a Polis participants-votes.csv (no participant and group-id columns)"
        )
    header = rows[0]
    participant_column = header.index("participant")
    group_column = header.index("group-id")
    statement_columns = [i for i, name in enumerate(header) if name not in _POLIS_METADATA_COLUMNS]
    statements = tuple(header[i] for i in statement_columns)
    participants: list[str] = []
    polis_groups: dict[str, int | None] = {}
    matrix = np.full((len(rows) - 1, len(statements)), np.nan)
    for row_number, row in enumerate(rows[1:]):
        if len(row) < len(header):
            row = row + [""] * (len(header) - len(row))
        participant = row[participant_column]
        participants.append(participant)
        group = row[group_column].strip()
        polis_groups[participant] = int(float(group)) if group else None
        for column_number, column in enumerate(statement_columns):
            cell = row[column].strip()
            if cell:
                try:
                    matrix[row_number, column_number] = float(cell)
                except ValueError as error:
                    raise ValueError(
                        f"{path}, participant {participant}, statement {header[column]}: "
                        f"{cell!r} is not a vote"
                    ) from error
    return (
        VoteMatrix(
            participants=tuple(participants),
            statements=statements,
            votes=matrix,
            moderated_out=_moderated_out(path.with_name("comments.csv"), set(statements)),
        ),
        polis_groups,
    )


def _moderated_out(comments_path: Path, statements: set[str]) -> frozenset[str]:
    if not comments_path.exists():
        return frozenset()
    with comments_path.open(newline="", encoding="utf-8") as handle:
        return frozenset(
            row["comment-id"]
            for row in csv.DictReader(handle)
            if row.get("moderated", "").strip() == "-1" and row.get("comment-id") in statements
        )

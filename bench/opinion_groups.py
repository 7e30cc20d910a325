"""Times Tillit's opinion groups on 2,000 voters × 200 statements and compares them with Polis' own groups.

Usage, from the repository root:  .venv/bin/python bench/opinion_groups.py [--runs 7] [--seed 0]

1. Timing: a planted vote matrix (four groups, a random stance per group and statement, 20 % of votes
   departing from it, 60 % not seen), grouped --runs times; prints median, fastest and slowest, and how well
   the planted groups were found (adjusted Rand index).
2. The five Polis conversations in shared/data/polis beside the clone: Tillit's groups against the
   group-id Polis exported, over the participants both grouped (docs/opinion-groups.md discusses them).
3. Why two of them differ: the same comparison with the conversations' demographic statements treated as
   Polis' meta statements (the export does not say which statements were meta), and for the 2017
   conversations with Polis' 2017 algorithm (missing votes as 0, zeroed columns counted as votes).
4. One JSON line with the figures.

Data from Polis: gathered using the Polis software (compdemocracy.org/polis) and sub-licensed under
CC BY 4.0 with Attribution to The Computational Democracy Project (see shared/data/polis/README.md).
"""

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

import numpy as np

from tillit.dialogue.analysis.opinion_groups import (
    DEFAULT_K_RANGE,
    MIN_VOTES,
    VoteMatrix,
    _groups,
    adjusted_rand_index,
    compare_groupings,
    compute_opinion_groups,
    read_polis_votes,
)

ROOT = Path(__file__).resolve().parent.parent
POLIS_DATA = ROOT.parent / "shared" / "data" / "polis"

# Statements about the participant rather than the topic (age, gender, ethnicity, where they live, how
# they voted in the referendum...), read from comments.csv. Polis' owners mark such statements is_meta,
# and Polis leaves them out of the grouping; the export does not record the flag. Used only in the
# "why they differ" table, never in the headline figures.
DEMOGRAPHIC_STATEMENTS = {
    "london.youth.policing": [str(i) for i in range(1, 15)],
    "scoop-hivemind.ubi": [str(i) for i in range(32, 43)],
    "brexit-consensus": ["0", "1", "3", "10", "11", "12", "15"],
}
POLIS_2017 = ("brexit-consensus", "scoop-hivemind.ubi")


def planted(voters: int, statements: int, groups: int, *, seed: int) -> tuple[VoteMatrix, list[int]]:
    rng = np.random.default_rng(seed)
    stances = rng.choice([-1.0, 1.0], size=(groups, statements))
    truth = rng.integers(0, groups, size=voters)
    votes = stances[truth].astype(np.float64)
    noisy = rng.random(votes.shape) < 0.2
    votes[noisy] = rng.choice([-1.0, 0.0, 1.0], size=int(noisy.sum()))
    votes[rng.random(votes.shape) < 0.6] = np.nan
    matrix = VoteMatrix(
        participants=tuple(f"p{i}" for i in range(voters)),
        statements=tuple(f"s{j}" for j in range(statements)),
        votes=votes,
    )
    return matrix, [int(group) for group in truth]


def with_meta(votes: VoteMatrix, meta: list[str]) -> VoteMatrix:
    return VoteMatrix(
        participants=votes.participants,
        statements=votes.statements,
        votes=votes.votes,
        moderated_out=votes.moderated_out | (frozenset(meta) & set(votes.statements)),
    )


def polis_2017_groups(votes: VoteMatrix, seed: int) -> dict[str, int | None]:
    """Polis between February and October 2017: moderated and meta columns set to 0 for everyone (so they
    count as votes, also for the seven-vote rule), and missing votes imputed with 0 rather than the mean.
    The clustering after the projection is Tillit's."""
    has_votes = ~np.isnan(votes.votes).all(axis=0)
    matrix = votes.votes[:, has_votes].copy()
    zeroed = np.array(
        [s in votes.moderated_out for s, keep in zip(votes.statements, has_votes, strict=True) if keep]
    )
    matrix[:, zeroed] = 0.0
    seen = ~np.isnan(matrix)
    counts = seen.sum(axis=1)
    filled = np.where(seen, matrix, 0.0)
    center = filled.mean(axis=0)
    _, vectors = np.linalg.eigh((filled - center).T @ (filled - center))
    components = vectors[:, ::-1][:, :2].T
    scale = np.sqrt(matrix.shape[1] / np.maximum(counts, 1))
    projection = (np.where(seen, matrix - center, 0.0) @ components.T) * scale[:, None]
    rows = np.flatnonzero(counts >= min(MIN_VOTES, matrix.shape[1]))
    base_of_row, base_labels, _ = _groups(projection[rows], DEFAULT_K_RANGE, np.random.default_rng(seed))
    labels = np.full(len(votes.participants), -1)
    labels[rows] = base_labels[base_of_row]
    return {
        p: (int(label) if label >= 0 else None) for p, label in zip(votes.participants, labels, strict=True)
    }


def timing(runs: int, seed: int) -> dict[str, float | int]:
    votes, truth = planted(2_000, 200, 4, seed=seed)
    compute_opinion_groups(votes, seed=seed)  # warm-up
    times = []
    for run in range(runs):
        started = time.perf_counter()
        groups = compute_opinion_groups(votes, seed=seed + run)
        times.append(time.perf_counter() - started)
    return {
        "voters": 2_000,
        "statements": 200,
        "runs": runs,
        "median_s": round(statistics.median(times), 3),
        "min_s": round(min(times), 3),
        "max_s": round(max(times), 3),
        "k": groups.k,
        "ari_planted": round(adjusted_rand_index(truth, list(groups.labels)), 3),
    }


def real_conversations(seed: int) -> list[dict[str, float | int | str]]:
    rows: list[dict[str, float | int | str]] = []
    for directory in sorted(path for path in POLIS_DATA.iterdir() if path.is_dir()):
        votes, polis_groups = read_polis_votes(directory / "participants-votes.csv")
        comparison = compare_groupings(compute_opinion_groups(votes, seed=seed).groups, polis_groups)
        rows.append(
            {
                "conversation": directory.name,
                "participants": len(votes.participants),
                "grouped_polis": comparison.grouped_by_both + comparison.grouped_only_by_second,
                "grouped_tillit": comparison.grouped_by_both + comparison.grouped_only_by_first,
                "grouped_both": comparison.grouped_by_both,
                "k_polis": comparison.k_second,
                "k_tillit": comparison.k_first,
                "ari": round(comparison.adjusted_rand_index, 3),
            }
        )
    return rows


def explanations(seed: int) -> list[dict[str, float | int | str]]:
    rows: list[dict[str, float | int | str]] = []
    for name, meta in DEMOGRAPHIC_STATEMENTS.items():
        votes, polis_groups = read_polis_votes(POLIS_DATA / name / "participants-votes.csv")
        votes = with_meta(votes, meta)
        variants = [("demographic statements as meta", compute_opinion_groups(votes, seed=seed).groups)]
        if name == "london.youth.policing":
            three = compute_opinion_groups(votes, seed=seed, k_range=range(3, 4)).groups
            variants.append(("... and k fixed at Polis' 3", three))
        if name in POLIS_2017:
            variants.append(("... with Polis' 2017 algorithm", polis_2017_groups(votes, seed)))
        for label, groups in variants:
            comparison = compare_groupings(groups, polis_groups)
            rows.append(
                {
                    "conversation": name,
                    "variant": label,
                    "grouped_both": comparison.grouped_by_both,
                    "grouped_tillit": comparison.grouped_by_both + comparison.grouped_only_by_first,
                    "k_tillit": comparison.k_first,
                    "ari": round(comparison.adjusted_rand_index, 3),
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="Timed runs (default 7).")
    parser.add_argument("--seed", type=int, default=0, help="Seed (default 0).")
    args = parser.parse_args()

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Python {platform.python_version()}, numpy {np.__version__}, load average {load:.2f}\n")
    timed = timing(args.runs, args.seed)
    print(
        f"2,000 voters × 200 statements, 60 % unseen, 4 planted groups: median {timed['median_s']:.3f} s "
        f"(fastest {timed['min_s']:.3f} s, slowest {timed['max_s']:.3f} s, {args.runs} runs); "
        f"k = {timed['k']}, ARI with the planted groups {timed['ari_planted']:.3f}\n"
    )

    result: dict[str, object] = {"timing": timed}
    if not POLIS_DATA.is_dir():
        print(f"No Polis data at {POLIS_DATA}: skipping the comparison with Polis.")
    else:
        rows = real_conversations(args.seed)
        header = (
            "conversation",
            "participants",
            "grouped by Polis",
            "grouped by Tillit",
            "k Polis",
            "k Tillit",
        )
        print(
            f"{header[0]:<28}{header[1]:>13}{header[2]:>18}{header[3]:>19}{header[4]:>9}{header[5]:>10}{'ARI':>8}"
        )
        for row in rows:
            print(
                f"{row['conversation']:<28}{row['participants']:>13}{row['grouped_polis']:>18}"
                f"{row['grouped_tillit']:>19}{row['k_polis']:>9}{row['k_tillit']:>10}{row['ari']:>8.3f}"
            )
        mean_ari = round(statistics.mean(float(row["ari"]) for row in rows), 3)
        print(f"{'mean':<95}{mean_ari:>8.3f}")
        print("(ARI over the participants both grouped.)\n")

        why = explanations(args.seed)
        print("Why London and Scoop differ (statement lists: see DEMOGRAPHIC_STATEMENTS in this file):")
        for row in why:
            print(
                f"  {row['conversation']:<24} {row['variant']:<34} grouped {row['grouped_tillit']:>3} "
                f"(both {row['grouped_both']:>3})  k {row['k_tillit']}  ARI {row['ari']:.3f}"
            )
        result.update(conversations=rows, mean_ari=mean_ari, explanations=why)
    print()
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""专家评审 at region level: rounds, experts, score sheets (XLSX/PDF), ranking, the final list.

Criteria and weights come from ``[review]`` of the year's rules TOML (``criteria.py``).
"""

from .criteria import Criterion, ReviewRules, load_review_rules
from .entry import enter_scores
from .ranking import CUT, PENDING, SELECTED, Ranking, rank_round
from .rounds import (Round, add_expert, close_round, create_round, experts, get_round,
                     list_rounds, remove_expert, scores)
from .panel import clear_stale, record_tiebreak
from .tiebreak import Tie, TieBreak, load_tiebreaks

__all__ = ["Criterion", "ReviewRules", "load_review_rules", "enter_scores", "Ranking",
           "rank_round", "SELECTED", "CUT", "PENDING", "Round", "add_expert", "close_round",
           "create_round", "experts", "get_round", "list_rounds", "remove_expert", "scores",
           "ranking_for", "Tie", "TieBreak", "clear_stale", "load_tiebreaks", "record_tiebreak"]


def ranking_for(store, rnd: Round) -> Ranking:
    """The round's current ranking from the stored scores and the panel's tie-break decisions."""
    return rank_round(rnd, scores(store, rnd), [e.name for e in experts(store, rnd)],
                      tiebreaks=load_tiebreaks(store, rnd))

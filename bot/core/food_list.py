"""/foods: what a person has logged, by top-level category with counts, short enough for a phone.

Counts are entries, not amounts: /triggers looks at which days had a food, and "3 coffees" is
still one coffee entry. Foods the vocabulary doesn't know are listed last with how to teach them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from html import escape

from bot.core import wording
from bot.core.replies import Reply, clip
from bot.parsing.vocabulary import Vocabulary
from storage.personal import FoodCount

ITEMS_PER_GROUP = 5
MAX_GROUPS = 12
MAX_UNKNOWN = 8
OTHER = "other"


def top_category(name: str, vocabulary: Vocabulary) -> str:
    """The root of a food's first line of categories: merlot → alcohol, cola → soft drink."""
    food = vocabulary.foods.get(name)
    if food is None:
        return OTHER
    seen = {food.name}
    while food.parents and food.parents[0] not in seen and food.parents[0] in vocabulary.foods:
        food = vocabulary.foods[food.parents[0]]
        seen.add(food.name)
    return food.name


def _more(items: Sequence[tuple[str, int]], limit: int) -> str:
    shown = " · ".join(f"{escape(name)} {n}" for name, n in items[:limit])
    if len(items) > limit:
        shown += f" …and {len(items) - limit} more"
    return shown


def foods_text(counts: Sequence[FoodCount], vocabulary: Vocabulary) -> str:
    """The /foods reply text (Telegram HTML), clipped to Telegram's limit."""
    groups: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    unknown: dict[str, int] = defaultdict(int)
    for row in counts:
        if row.known and row.name in vocabulary.foods:
            groups[top_category(row.name, vocabulary)][row.name] += row.entries
        elif row.known:
            groups[OTHER][row.name] += row.entries
        else:
            unknown[row.name] += row.entries
    if not groups and not unknown:
        return (
            "You haven't logged any food yet. Tell me what you have, e.g. <code>had toast</code>."
        )
    total = sum(r.entries for r in counts)
    ordered = sorted(groups.items(), key=lambda g: (-sum(g[1].values()), g[0]))
    lines = [f"<b>Your foods</b> ({total} entries)"]
    for root, items in ordered[:MAX_GROUPS]:
        ranked = sorted(items.items(), key=lambda item: (-item[1], item[0]))
        emoji = wording.food_emoji(root, vocabulary) if root != OTHER else "🍽️"
        lines.append(f"\n{emoji} <b>{escape(root)}</b> {sum(items.values())}")
        lines.append(_more(ranked, ITEMS_PER_GROUP))
    if len(ordered) > MAX_GROUPS:
        rest = sum(sum(items.values()) for _, items in ordered[MAX_GROUPS:])
        lines.append(f"\n…and {len(ordered) - MAX_GROUPS} more groups ({rest} entries)")
    if unknown:
        ranked = sorted(unknown.items(), key=lambda item: (-item[1], item[0]))
        lines.append(f"\n❓ <b>New to me</b> {sum(unknown.values())}")
        lines.append(_more(ranked, MAX_UNKNOWN))
        example = escape(ranked[0][0])
        lines.append(
            f"<i>Teach me what they are, e.g. <code>/food {example} = snack</code>, "
            "so they count in /triggers.</i>"
        )
    return clip("\n".join(lines))


def foods_reply(counts: Sequence[FoodCount], vocabulary: Vocabulary) -> Reply:
    return Reply(foods_text(counts, vocabulary))

"""/food and "X is a Y": a person teaches Haven their own words for foods.

Their words apply to them alone: every message of theirs is parsed with the shipped vocabulary
plus their entries (`Vocabulary.with_personal`), built once and cached per person. The cache
holds the entries it was built from and is checked against the database on every use, so with
several replicas a word taught through one is used by all of them at the next message.

Teaching never invents: the right-hand side must be a food or category the vocabulary already
has, or the reply lists the closest categories it does have.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from html import escape

from rapidfuzz import fuzz, process

from bot.core.replies import Button, Reply, clip
from bot.parsing.personal import raw_names
from bot.parsing.vocabulary import Food, PersonalEntry, Vocabulary, phrase_key, words_of
from storage import Diary
from storage.personal import PersonalFoods

MAX_PHRASE_WORDS = 6  # /food; free text allows 4 (a longer "X" is a sentence, not a name)
MAX_FREE_TEXT_WORDS = 4
CACHE_SIZE = 2048

USAGE = (
    "Teach me your own words for foods, so they count the right way in /triggers:\n"
    "<code>/food joe = coffee</code> — your name for a food I know\n"
    "<code>/food switchel = soft drink</code> — a food of yours, counted under a category\n"
    "<code>/food forget joe</code> — forget one\n"
    "Or just write <code>switchel is a soft drink</code>."
)


def _words(text: str) -> frozenset[str]:
    """A word set written as one readable string."""
    return frozenset(text.split())


# "X is a Y", "X = Y", "X means Y", "X is a kind of Y" — the whole message, nothing else.
_TEACH = re.compile(
    r"^\s*(?P<x>[^\W\d_][\w' -]*?)\s+(?:is|are|=|means)\s+(?:(?:a|an)\s+)?"
    r"(?:(?:kind|type|sort)\s+of\s+)?(?P<y>[^\W\d_][\w' -]*?)\s*[.!]?\s*$",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"^(?:(?:a|an)\s+)?(?:(?:kind|type|sort)\s+of\s+)?", re.IGNORECASE)
# Words that make "X is Y" ordinary talk rather than a name being taught: meals and times
# ("dinner is pasta", "tonight is curry"), pronouns and possessives ("it is a cake", "my
# favourite is cheese"), and how the person feels ("my migraine is bad").
_NOT_A_NAME = _words(
    """my our your his her their the this that these those it its there here what which who
    i me we you he she they everything something nothing anything all
    breakfast brunch lunch dinner supper tea-time meal meals snack snacks food drink drinks
    dessert pudding starter main course today tonight yesterday tomorrow morning afternoon
    evening night weekend week day monday tuesday wednesday thursday friday saturday sunday
    migraine migraines headache headaches pain head attack aura nausea medicine meds pill pills
    favourite favorite fave usual trigger triggers problem weakness go-to diet plan"""
)


class Teaching:
    """Personal food words: teaching, forgetting, and each person's vocabulary."""

    def __init__(self, diary: Diary, vocabulary: Vocabulary) -> None:
        self.store = PersonalFoods(diary.sessions)
        self.shipped = vocabulary
        self._cache: OrderedDict[int, tuple[tuple[PersonalEntry, ...], Vocabulary]] = OrderedDict()

    # ---- each person's vocabulary ----------------------------------------------------------------

    async def vocabulary_for(self, user_id: int) -> Vocabulary:
        """The shipped vocabulary plus this person's entries (the shipped one if they have none)."""
        rows = await self.store.entries(user_id)
        entries = tuple(PersonalEntry(r.phrase, r.target, r.kind) for r in rows)
        if not entries:
            self._cache.pop(user_id, None)
            return self.shipped
        cached = self._cache.get(user_id)
        if cached is not None and cached[0] == entries:
            self._cache.move_to_end(user_id)
            return cached[1]
        vocabulary = self.shipped.with_personal(entries)
        self._cache[user_id] = (entries, vocabulary)
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return vocabulary

    # ---- /food -----------------------------------------------------------------------------------

    async def command(self, user_id: int, args: str) -> Reply:
        words = args.split()
        if not words:
            return Reply(clip(USAGE + "\n\n" + await self._listing(user_id)))
        if words[0].lower() == "forget":
            return await self.forget(user_id, " ".join(words[1:]))
        if "=" in args:
            phrase, _, target = args.partition("=")
        else:
            found = _TEACH.match(args)
            if found is None:
                return Reply(USAGE)
            phrase, target = found.group("x"), found.group("y")
        return await self.teach(user_id, phrase, target)

    async def teach(self, user_id: int, phrase: str, target_text: str) -> Reply:
        key = phrase_key(phrase)
        target_text = _ARTICLE.sub("", target_text.strip())
        if not key or not words_of(target_text):
            return Reply("Tell me both sides, e.g. <code>/food joe = coffee</code>.\n\n" + USAGE)
        if len(key) > MAX_PHRASE_WORDS or len(" ".join(key)) > 100:
            return Reply(f"Keep the name to {MAX_PHRASE_WORDS} words or fewer.")
        shown = escape(" ".join(key))
        target = self.shipped.lookup(target_text)
        if target is None:
            return Reply(self._unknown_target(target_text))
        already = self.shipped.lookup(phrase)
        if already is not None and already.name == target.name:
            return Reply(f"I already know that: “{shown}” is {escape(target.name)}.")
        if " ".join(key) in self.shipped.foods:
            return Reply(
                f"“{shown}” is already in my list ({_describe(already or target, self.shipped)}), "
                "and I can't change what it is. You can teach me a name of your own for "
                f"something, e.g. <code>/food my usual = {escape(target.name)}</code>."
            )
        kind = "food" if target.is_category else "synonym"
        name = " ".join(key) if kind == "food" else target.name
        updated = await self.store.teach(
            user_id, " ".join(key), target.name, kind, refile=raw_names(phrase), name=name
        )
        self._cache.pop(user_id, None)
        if kind == "food":
            text = (
                f"Got it: <b>{shown}</b> is a kind of <b>{escape(target.name)}</b> for you. "
                f"I'll log it by its own name, and it counts towards {_chain(target, self.shipped)}"
                " in /triggers."
            )
        else:
            text = f"Got it: when you write <b>{shown}</b>, I'll log <b>{escape(target.name)}</b>."
            if already is not None:
                text += f" (Instead of {escape(already.name)}.)"
        entries = "entry" if updated == 1 else "entries"
        text += (
            f"\nI updated {updated} earlier {entries} of “{shown}”."
            if updated
            else "\nNo earlier entries needed updating."
        )
        return Reply(text)

    async def forget(self, user_id: int, phrase: str) -> Reply:
        key = " ".join(phrase_key(phrase))
        if not key:
            return Reply("Which one? e.g. <code>/food forget joe</code>.")
        entry, unknown = await self.store.forget(user_id, key)
        self._cache.pop(user_id, None)
        if entry is None:
            return Reply(
                f"You haven't taught me “{escape(key)}”.\n\n" + await self._listing(user_id)
            )
        text = f"Forgotten: “{escape(key)}”."
        if unknown:
            text += f" {unknown} earlier {'entry' if unknown == 1 else 'entries'} of it are "
            text += "kept as you wrote them, but no longer counted under a category."
        return Reply(text)

    async def button(self, user_id: int, data: str) -> Reply:
        """'Not what I meant' under a free-text teaching: forget it again."""
        _, action, phrase = [*data.split(":", 2), "", ""][:3]
        if action != "x" or not phrase:
            return Reply(toast="That button has expired — nothing was changed.")
        entry, _ = await self.store.forget(user_id, phrase)
        self._cache.pop(user_id, None)
        if entry is None:
            return Reply(toast="Nothing to undo — it was already forgotten.")
        return Reply(
            f"OK, forgotten: “{escape(phrase)}”. If it was something you had, write it again "
            "as you usually would.",
            edit=True,
            toast="Forgotten",
        )

    # ---- "X is a Y" in free text -----------------------------------------------------------------

    async def from_text(self, user_id: int, text: str) -> Reply | None:
        """Teach when the whole message is "X is (a) Y", Y a food or category I know and X an
        unknown name of at most 4 words; None (parse it as usual) for anything else."""
        found = _TEACH.match(text) if "\n" not in text and "?" not in text else None
        if found is None:
            return None
        phrase, target_text = found.group("x"), found.group("y")
        words = words_of(phrase)
        if not 1 <= len(words) <= MAX_FREE_TEXT_WORDS or any(w in _NOT_A_NAME for w in words):
            return None
        vocabulary = await self.vocabulary_for(user_id)
        known = vocabulary.match_at(words, 0)
        if known is not None and known.length == len(words):
            return None  # "coffee is coffee", "wine is my weakness": nothing to teach
        if self.shipped.lookup(target_text) is None:
            return self._hint(phrase, target_text)  # "my migraine is bad": None
        reply = await self.teach(user_id, phrase, target_text)
        data = "pf:x:" + " ".join(phrase_key(phrase))
        if len(data.encode()) <= 64:
            reply.buttons = [[Button("Not what I meant", data)]]
        reply.text += "\n<i>Taught from your message; nothing was logged.</i>"
        return reply

    def _hint(self, phrase: str, target_text: str) -> Reply | None:
        """'tepache is a fermented drink': a name being taught, with a category I lack. Only
        when Y ends like one of my categories ("… drink"), so "work is a nightmare" is just
        parsed as usual."""
        heads = {n.split()[-1] for n, f in self.shipped.foods.items() if f.is_category}
        target_words = words_of(_ARTICLE.sub("", target_text))
        if not target_words or target_words[-1] not in heads:
            return None
        shown = escape(" ".join(phrase_key(phrase)))
        text = self._unknown_target(target_text).replace("/food … =", f"/food {shown} =")
        return Reply(text + "\n<i>Nothing was logged.</i>")

    # ---- helpers ---------------------------------------------------------------------------------

    async def _listing(self, user_id: int) -> str:
        rows = await self.store.entries(user_id)
        if not rows:
            return "You haven't taught me any words yet."
        lines = [
            f"• {escape(r.phrase)} → {escape(r.target)}"
            if r.kind == "synonym"
            else f"• {escape(r.phrase)}: a kind of {escape(r.target)}"
            for r in rows
        ]
        return "Your words:\n" + "\n".join(lines)

    def _unknown_target(self, target_text: str) -> str:
        shown = escape(" ".join(words_of(target_text)))
        close = suggest_categories(target_text, self.shipped)
        text = f"I don't know “{shown}”, so I haven't changed anything."
        if close:
            text += " Categories I have that are close: " + ", ".join(
                f"<b>{escape(c)}</b>" for c in close
            )
            text += f".\nFor example: <code>/food … = {escape(close[0])}</code>"
        else:
            text += " Try a food I know, or a category such as <b>soft drink</b> or <b>snack</b>."
        return text


def suggest_categories(text: str, vocabulary: Vocabulary, limit: int = 6) -> list[str]:
    """Categories sharing a word with `text` ("fermented drink" → soft drink, energy drink…),
    the categories of foods tagged with one of its words ("fermented" → pickle), then the
    closest spellings."""
    words = set(words_of(text))
    categories = sorted(n for n, f in vocabulary.foods.items() if f.is_category)
    found: dict[str, None] = {}
    for name in categories:
        if words & set(name.split()):
            found[name] = None
    for tag in words:
        for name in vocabulary.with_tag(tag):
            food = vocabulary.foods[name]
            for parent in (name,) if food.is_category else food.parents:
                if tag in vocabulary.foods[parent].own_tags or tag in food.own_tags:
                    found.setdefault(parent, None)
    close = process.extract(" ".join(words), categories, scorer=fuzz.WRatio, limit=limit)
    for name, score, _ in close:
        if score >= 70:
            found.setdefault(name, None)
    return list(found)[:limit]


def _chain(food: Food, vocabulary: Vocabulary) -> str:
    return " → ".join(escape(n) for n in [food.name, *vocabulary.ancestors(food.name)])


def _describe(food: Food, vocabulary: Vocabulary) -> str:
    above = vocabulary.ancestors(food.name)
    kind = "a category" if food.is_category else f"a {food.kind}"
    return f"{kind}, under {escape(above[0])}" if above else kind

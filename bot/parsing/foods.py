"""Food and drink: one event per item, named through the vocabulary, with quantities.

Known foods are logged wherever they appear ("cheese and wine last night"); words the vocabulary
does not know are logged (known=False) only after an eating verb ("had", "ate", "drank"...), so
that chatter is not mistaken for food. Negations ("no coffee", "didn't have any wine", "avoiding
chocolate") suppress the items after them until a positive verb, "but"/"only", or the segment end.

"chips" is `crisps` (see docs/vocabulary.md) except next to a hot main dish with only "and",
"with" or a comma between ("burger and chips", "chips with my steak", "egg, chips and beans"):
there it is `fries`, as in a British chip shop and on any burger menu.

Quantities: "2 coffees" → 2, "a coffee" → 1, "a couple of" → 2, "a few" → 3, "half a bar of" → 0.5,
"coffee x2", "coffee x 2", "coffee ×2" (the way Haven shows it) → 2; containers ("a pint of",
"2 cups of") are read past; no number → None. More than 50 (`MAX_QUANTITY`) is not believable as
servings ("1000000000 apples"): the food is logged without a quantity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.parsing.found import EVENT_MASK, MASK, Found
from bot.parsing.numbers import NUMBER_WORDS
from bot.parsing.vocabulary import Match, Vocabulary, singular


def _words(text: str) -> frozenset[str]:
    """A word set written as one readable string."""
    return frozenset(text.split())


# A word is letters of any script (the text is accent-folded first, so "pâté" is "pate" here and
# "борщ" stays one word), with decimals and inner apostrophes or hyphens; anything else is one
# character of punctuation.
_TOKEN = re.compile(r"[^\W_]+(?:\.[0-9]+)?(?:['-][^\W_]+)*|\S")

EATING_VERBS = _words(
    "had have'd having ate eat eaten eating drank drink drunk drinking tried grabbed enjoyed "
    "snacked scoffed devoured finished demolished consumed munched sipped nibbled downed "
    "treated indulged"
)
# Multi-word cues first; each is a tuple of words.
_NEGATION_CUES: tuple[tuple[str, ...], ...] = tuple(
    tuple(cue.split())
    for cue in sorted(
        [
            "no",
            "not",
            "never",
            "without",
            "none",
            "zero",
            "nothing",
            "didn't",
            "didnt",
            "did not",
            "don't",
            "dont",
            "do not",
            "haven't",
            "havent",
            "have not",
            "hasn't",
            "wasn't",
            "won't",
            "can't",
            "cannot",
            "couldn't",
            "avoid",
            "avoided",
            "avoiding",
            "cut out",
            "cutting out",
            "cut down on",
            "gave up",
            "given up",
            "giving up",
            "quit",
            "stopped",
            "off",
            "craving",
            "crave",
            "want",
            "wanted",
            "wanting",
            "fancy",
            "resisted",
            "skipped",
            "skipping",
            "ran out of",
            "out of",
            "free from",
            "instead of",
        ],
        key=lambda c: -len(c.split()),
    )
)
# Plans and wishes: nothing was eaten, but nothing was denied either.
_INTENTION_CUES: tuple[tuple[str, ...], ...] = tuple(
    tuple(cue.split())
    for cue in (
        "need to",
        "needs to",
        "should",
        "shouldn't",
        "must",
        "going to",
        "gonna",
        "will",
        "plan to",
        "planning to",
        "trying to",
        "try to",
        "cut back on",
        "cutting back on",
        "cut down on",
        "cutting down on",
    )
)
_NEGATION_ENDS = _words("but only just instead however although though except yet")
_SEPARATORS = _words("and with or plus nor")
# Words after which an eating verb's list is over: the sentence has moved on.
_STOP_WORDS = _words(
    """i i'm im it it's its was were is are be been feel feeling felt think thought so because
    cause as then that this which who when while if lol haha now today tonight yesterday still
    which you we they he she my me really maybe probably also too took take taken taking got get
    went started start starting woke tomorrow tmrw tmr tomoz later soon earlier"""
)
# Words that are never (part of) an unknown food name.
_NOT_FOOD = _words(
    """day days night nights morning evening afternoon time times nap sleep rest bath shower walk
    run workout meeting chat call look go think bad good great rough hard tough long busy lie
    week weekend break lot lots enough anything something everything nothing it that them one
    ones more less same usual usually bit migraine headache pain dose tablet tablets pill pills
    meds medication feeling chance go-to fun blast laugh cry few time moment argument fight row
    drinks drink meal meals food snack snacks breakfast lunch dinner supper brunch tea-time
    tonnes tons loads lot friend friends people guests visitors family kids children baby work
    appointment meeting class lesson doctor doctor's dentist gp session therapy massage out late
    early over round off up down back away home problem issue trouble stress cold flu covid fever
    period cramps nausea accident test exam interview shift job holiday trip drive flight party
    wedding funeral birthday night's sleep scan operation surgery injection jab vaccine"""
)
_FILLERS = _words(
    """a an the some my our your his her their any more another extra big small large little
    huge massive tiny quick cheeky nice lovely tasty yummy delicious homemade home-made fresh
    leftover leftovers whole double single regular medium proper bit lot lots loads of
    takeaway take-away microwave frozen veggie vegan warm cold hot iced x venti grande tall
    really very so plenty few couple several half"""
)
_CONTAINERS = _words(
    """cup cups mug mugs glass glasses pint pints half-pint can cans bottle bottles bar bars
    slice slices piece pieces bowl bowls plate plates plateful handful handfuls packet packets
    bag bags portion portions serving servings shot shots scoop scoops square squares bite
    bites spoon spoons spoonful spoonfuls tin tins box boxes chunk chunks carton cartons jug
    sip sips pot pots tub tubs row rows load loads bit bits lot lots couple"""
)
_PREPOSITIONS = _words("for at in on from before after to around by about since until till into")
_ARTICLES = frozenset({"a", "an"})
_PLACE_PREPOSITIONS = frozenset({"at", "from"})  # "coffee at starbucks": a place, not a food
_PLACE_ARTICLES = _words("the a my our")  # "from the chippy"
_UNQUANTIFIED = _words("some lots loads lot bit little plenty bunch")
_TIMES = re.compile(r"^x?(\d+(?:\.\d+)?)x?$")
_COUNT = re.compile(r"^\d{1,3}$")
# More servings than this in one message is not a count ("1000000000 apples", "coffee x100"):
# the food is logged without a quantity rather than shown as "×1e+09".
MAX_QUANTITY = 50.0
_SPANS_OF_TIME = _words("day days week weeks month months hour hours hrs min mins minutes times")
# Mains that chips come with as fries, not a bag of crisps: the food or one of its categories.
_CHIPS_AS_FRIES_WITH = frozenset({"burger", "meat", "seafood", "egg", "pie", "kebab", "curry"})
_BARE_CHIPS = frozenset({("chips",), ("chip",)})
_BAGGED = _words("bag bags packet packets pack packs")
# What may stand between a main and its chips: "burger and chips", "steak with some chips".
_SIDE_LINKS = _words("and with n 'n' & + , plus side of some a my the their portion extra")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()


def _quantity(words: list[str]) -> float | None:
    """The amount stated by the words before a food ("2", "a couple of", "half a bar of")."""
    value: float | None = None
    for i, word in enumerate(words):
        if word in _UNQUANTIFIED and not (i > 0 and words[i - 1] == "half"):
            return None
        number = _TIMES.match(word)
        if number:
            return float(number.group(1))
        if word == "half":
            return 0.5
        if word in NUMBER_WORDS and (value is None or word not in _ARTICLES):
            value = NUMBER_WORDS[word]
    if value is None and any(w in _CONTAINERS and singular(w) == w for w in words):
        return 1.0  # "glass of milk", "cup of tea": one of them
    return value


def find_foods(
    text: str,
    start: int,
    end: int,
    vocabulary: Vocabulary,
    skip: list[tuple[int, int]],
) -> tuple[list[Found], int]:
    """Food events in text[start:end] (skipping question chunks), and how many were negated."""
    tokens = [Token(m.group(0), m.start()) for m in _TOKEN.finditer(text, start, end)]
    reader = _Reader(tokens, vocabulary, skip)
    i = 0
    while i < len(tokens):
        i += reader.step(i)
    _chips_as_fries(reader, vocabulary)
    return reader.found, reader.negated


def _chips_as_fries(reader: _Reader, vocabulary: Vocabulary) -> None:
    """Bare "chips" logged as crisps becomes fries when a hot main sits right next to it."""
    if "fries" not in vocabulary.foods:
        return
    items = reader.items
    for k, (first, last, chips) in enumerate(items):
        if k not in reader.bare_chips:
            continue
        neighbours = []
        if k > 0 and _only_links(reader.tokens[items[k - 1][1] : first]):
            neighbours.append(items[k - 1][2])
        if k + 1 < len(items) and _only_links(reader.tokens[last : items[k + 1][0]]):
            neighbours.append(items[k + 1][2])
        if any(_is_main(food.name, vocabulary) for food in neighbours):
            chips.name = "fries"


def _only_links(tokens: list[Token]) -> bool:
    return all(t.text in _SIDE_LINKS or t.text == MASK for t in tokens)


def _is_main(name: str | None, vocabulary: Vocabulary) -> bool:
    if name is None or name not in vocabulary.foods:
        return False
    return bool(_CHIPS_AS_FRIES_WITH & {name, *vocabulary.ancestors(name)})


class _Reader:
    """Reads one segment's tokens left to right, keeping what the words so far imply."""

    def __init__(
        self, tokens: list[Token], vocabulary: Vocabulary, skip: list[tuple[int, int]]
    ) -> None:
        self.tokens = tokens
        self.vocabulary = vocabulary
        self.skip = skip
        self.found: list[Found] = []
        self.negated = 0
        self.eating = False  # after "had", "ate"...: unknown words are foods too
        self.negating = False  # after "no", "didn't"...: foods are not logged
        self.prefix: list[str] = []  # quantity, filler and container words since the last item
        self.cue_end = -1  # where the last negation cue ended
        self.intending = False  # the negation is a plan ("need to drink more water")
        # Logged foods as (first token, token after the last, event), and which are a bare "chips".
        self.items: list[tuple[int, int, Found]] = []
        self.bare_chips: set[int] = set()

    def step(self, i: int) -> int:
        """Read the token at i; return how many tokens were used."""
        token = self.tokens[i]
        word = token.text
        if any(s <= token.start < e for s, e in self.skip):
            self.eating = self.negating = False
            self.prefix = []
            return 1
        if not token.is_word:
            if word != MASK:
                self.prefix = []
            if word == EVENT_MASK:
                self.eating = False
            return 1
        intention = _cue_at(self.tokens, i, _INTENTION_CUES)
        cue = intention or _cue_at(self.tokens, i, _NEGATION_CUES)
        if cue:
            self.negating, self.eating, self.prefix = True, False, []
            self.intending = bool(intention)
            self.cue_end = i + cue
            return cue
        if word in EATING_VERBS:
            if i == self.cue_end:  # "didn't have", "haven't had": still a negation
                self.cue_end += 1
            else:
                self.eating, self.negating, self.prefix = True, False, []
            return 1
        if word in _NEGATION_ENDS or word in _SEPARATORS or word in _STOP_WORDS:
            self.negating = self.negating and word not in _NEGATION_ENDS
            self.eating = self.eating and word not in _STOP_WORDS
            self.prefix = []
            return 1
        if word in _CONTAINERS and i + 1 < len(self.tokens) and self.tokens[i + 1].text == "of":
            self.prefix += [word, "of"]
            return 2
        return self._known_food(i) or self._filler(i) or self._unknown_food(i)

    def _log(self, i: int, end: int, name: str, quantity: float | None, known: bool = True) -> None:
        """Log the food in tokens[i:end] (or count it negated)."""
        if quantity is not None and quantity > MAX_QUANTITY:
            quantity = None  # "1000000000 apples": not a count of servings
        previous = self.items[-1] if self.items else None
        if self.negating or quantity == 0:  # "0 coffees today" is a negation too
            self.negated += 0 if self.intending else 1
            self.bare_chips.discard(len(self.items))
        elif previous is not None and previous[1] == i and previous[2].name == name:
            # "granary toast": two words for one food, side by side; one serving.
            self.items[-1] = (previous[0], end, previous[2])
            if previous[2].quantity is None:
                previous[2].quantity = quantity
        else:
            event = Found("food", self.tokens[i].start, name=name, quantity=quantity, known=known)
            self.found.append(event)
            self.items.append((i, end, event))
        self.prefix = []

    def _known_food(self, i: int) -> int:
        """A vocabulary food at i (0 when there is none)."""
        word = self.tokens[i].text
        if word in _PREPOSITIONS:  # "chocolate after": never the start of a food's name
            return 0
        run = _word_run(self.tokens, i)
        match = self.vocabulary.match_at(run, 0, fuzzy=len(word) >= 5)
        if match is None or (word in _FILLERS and match.length == 1):
            return 0
        before = i - 1 if i > 0 and self.tokens[i - 1].text in _PLACE_ARTICLES else i
        if before > 0 and self.tokens[before - 1].text in _PLACE_PREPOSITIONS:
            return match.length  # "coffee at starbucks", "chips from the chippy": a place
        if _is_brand_before_food(run, match, self.vocabulary):
            return match.length  # "a starbucks latte": the latte is the food (and keeps the "a")
        length = match.length
        quantity = _quantity(self.prefix)
        after = run[length] if length < len(run) else ""
        if _TIMES.match(after) and after.startswith("x"):  # "coffee x2", "coffee ×2"
            quantity, length = float(after.strip("x")), length + 1
        elif (
            after == "x"
            and length + 1 < len(run)
            and _COUNT.match(run[length + 1])
            and not (length + 2 < len(run) and run[length + 2] in _SPANS_OF_TIME)
        ):
            quantity, length = float(run[length + 1]), length + 2  # "coffee x 3", "coffee × 3"
        if (
            match.food.name == "crisps"
            and tuple(run[:length]) in _BARE_CHIPS
            and not _BAGGED & set(self.prefix)
        ):
            self.bare_chips.add(len(self.items))
        self._log(i, i + length, match.food.name, quantity)
        return length

    def _filler(self, i: int) -> int:
        """A quantity, container or filler word, kept for the next food (0 when it is not)."""
        word = self.tokens[i].text
        if word in _FILLERS or word in _CONTAINERS or word in NUMBER_WORDS or _TIMES.match(word):
            self.prefix.append(word)
            return 1
        return 0

    def _unknown_food(self, i: int) -> int:
        """Words the vocabulary does not know, logged as a food only after an eating verb."""
        length = _unknown_length(self.tokens, i, self.vocabulary) if self.eating else 0
        words = [t.text for t in self.tokens[i : i + length]]
        if length and not any(w in _NOT_FOOD or w in _CONTAINERS for w in words):
            name = " ".join([*words[:-1], singular(words[-1])])
            self._log(i, i + length, name, _quantity(self.prefix), known=False)
            return length
        self.eating = False  # "had a bad night": the list of foods is over
        self.prefix = []
        return 1


def _is_brand_before_food(run: list[str], match: Match, vocabulary: Vocabulary) -> bool:
    """Whether the match is only a brand or shop name followed by the food itself."""
    phrase = " ".join(run[: match.length])
    if phrase not in getattr(match.food, "brands", ()) or match.length >= len(run):
        return False
    return vocabulary.match_at(run, match.length, fuzzy=False) is not None


def _cue_at(tokens: list[Token], i: int, cues: tuple[tuple[str, ...], ...]) -> int:
    """How many words a cue at tokens[i] spans (0 when there is none)."""
    for cue in cues:
        window = [t.text for t in tokens[i : i + len(cue)]]
        if tuple(window) == cue:
            return len(cue)
    return 0


def _word_run(tokens: list[Token], i: int) -> list[str]:
    """The words from tokens[i] up to the next punctuation or mask."""
    words: list[str] = []
    for token in tokens[i:]:
        if not token.is_word:
            break
        words.append(token.text)
    return words


def _unknown_length(tokens: list[Token], i: int, vocabulary: Vocabulary) -> int:
    """How many words from tokens[i] form one unknown food name (at most 3)."""
    length = 0
    for token in tokens[i:]:
        word = token.text
        if (
            not token.is_word
            or word in _SEPARATORS
            or word in _STOP_WORDS
            or word in EATING_VERBS
            or word in _NEGATION_ENDS
            or word in _PREPOSITIONS
            or (length and vocabulary.match_at([word], 0, fuzzy=False) is not None)
        ):
            break
        length += 1
    return length if length <= 3 else 0

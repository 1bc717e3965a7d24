"""The diary's tables. Every time is UTC and tz-aware (see `UTCDateTime`)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import UTCDateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class User(Base):
    """A person using the bot; `id` is their Telegram user id (the console uses its own id)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Extra one-tap rows in the daily check-in (/settings), all off unless the person turns
    # them on: the check-in stays one tap for everyone else. Period questions are asked only
    # with `track_period` on.
    ask_sleep_quality: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    ask_stress: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    ask_exercise: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    track_period: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class SourceMessage(Base):
    """A message the person sent.

    Unique per chat and Telegram message id, so redelivery is harmless; an edit replaces the events
    that came from it.
    """

    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("chat_id", "message_id", name="uq_messages_chat_message"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    text: Mapped[str] = mapped_column(Text, default="")
    undone: Mapped[bool] = mapped_column(Boolean, default=False)

    events: Mapped[list[Event]] = relationship(
        back_populates="source", cascade="all, delete-orphan", passive_deletes=True
    )


class EntryFields:
    """What a diary entry says, shared by `Event` and the copy `SetAsideEvent` keeps of one."""

    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    name: Mapped[str | None] = mapped_column(String(200))
    quantity: Mapped[float | None] = mapped_column(Float)
    severity: Mapped[int | None] = mapped_column(Integer)
    dose: Mapped[str | None] = mapped_column(String(50))
    known: Mapped[bool] = mapped_column(Boolean, default=True)
    value: Mapped[float | None] = mapped_column(Float)
    detail: Mapped[str | None] = mapped_column(String(100))


# The columns of `EntryFields`, to copy an entry field by field.
ENTRY_FIELDS = ("kind", "at", "name", "quantity", "severity", "dose", "known", "value", "detail")


class Event(EntryFields, Base):
    """One dated diary entry: food, migraine start or end, medication, migraine-free day, skipped
    meal, or a lifestyle factor (`name` says which; `value` its number, `detail` its words: see
    bot/parsing/factors.py)."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_user_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    source: Mapped[SourceMessage | None] = relationship(back_populates="events")


class SetAsideEvent(EntryFields, Base):
    """An entry a later message ruled out, kept so that taking that message back restores it.

    A migraine logged for a day with a "no migraine" entry removes that entry from the diary;
    its copy waits here, with `removed_by` the message whose migraine ruled it out. Undoing that
    message, or editing the migraine out of it, puts the entry back (with its own `source_id`, so
    it is still that message's), unless another migraine still holds for the day [`day_start`,
    `day_end`). NULL `removed_by`: ruled out by a check-in answer, which cannot be taken back;
    the copy is kept all the same. Not diary data (never read by the analysis or exported: the
    message that said it is); erased with the person.
    """

    __tablename__ = "set_aside_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    removed_by: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL"), index=True
    )
    day_start: Mapped[datetime] = mapped_column(UTCDateTime)
    day_end: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)  # when it was first logged
    removed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Reminder(Base):
    """A person's daily check-in setting.

    `minute` is local wall-clock time (minutes after midnight) in `timezone`, the zone `next_due`
    was computed in. `next_due` is the UTC instant of the next check-in and NULL while reminders
    are off, so the sweep finds due rows through its index alone.
    """

    __tablename__ = "reminders"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    minute: Mapped[int] = mapped_column(Integer)
    timezone: Mapped[str] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    next_due: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    off_reason: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Nudge(Base):
    """A message the bot sends unasked: a daily check-in or a follow-up, and the answer to it.

    `due_at` is when a sweep may next claim it (NULL once it is done): a claim moves it a lease
    ahead in the same transaction that reads it, so two processes never send the same nudge, and
    a process that crashed after claiming lets it come due again once. `key` makes each nudge
    unique per person (`checkin:2026-11-26`, `end:<event>:<n>`, `med:<event>`).
    """

    __tablename__ = "nudges"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_nudges_user_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # checkin | attack_end | medication
    key: Mapped[str] = mapped_column(String(60))
    day: Mapped[date | None] = mapped_column(Date)  # check-ins: the local day asked about
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the first due time
    # pending | claimed | sent | answered | cancelled | failed
    state: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    covers: Mapped[str | None] = mapped_column(String(40))  # earlier days asked again with it
    answer: Mapped[str | None] = mapped_column(String(20))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProcessedUpdate(Base):
    """A Telegram update id taken by some bot process (`done` once handled).

    The primary key is the whole point: with several replicas on one database (webhook mode), the
    first process to insert an update id handles it and every other delivery of it is dropped.
    `processed_at` is when it was claimed: a claim never finished within a lease belonged to a
    process that died, and may be taken over (see `storage.updates`). Holds no personal data;
    rows older than a few days are pruned.
    """

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    done: Mapped[bool] = mapped_column(Boolean, default=False)


class PersonalFood(Base):
    """A phrase one person taught ("/food kombucha = soft drink"); it applies to them alone.

    `kind` "synonym": `phrase` is logged as the vocabulary's `target`. `kind` "food": `phrase` is
    their own food, with the category `target` as its parent. `phrase` is stored as the lowercase
    words, one space apart, so it is unique per person however it was typed.
    """

    __tablename__ = "personal_foods"
    __table_args__ = (UniqueConstraint("user_id", "phrase", name="uq_personal_foods_user_phrase"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    phrase: Mapped[str] = mapped_column(String(100))
    target: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))  # synonym | food
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CheckInFactor(Base):
    """The answer to one factor row of a daily check-in (sleep, stress, exercise, period).

    One row per check-in and factor, so a second tap replaces the first. `event_id` is the
    factor event the answer logged; an answer that logs nothing ("Exercise: No", "Period: No")
    keeps it NULL and is stored only so the check-in can show it as answered.
    """

    __tablename__ = "checkin_factors"
    __table_args__ = (
        UniqueConstraint("nudge_id", "factor", name="uq_checkin_factors_nudge_factor"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    nudge_id: Mapped[int] = mapped_column(ForeignKey("nudges.id", ondelete="CASCADE"))
    factor: Mapped[str] = mapped_column(String(12))  # sleep_quality | stress | exercise | period
    choice: Mapped[str] = mapped_column(String(12))
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

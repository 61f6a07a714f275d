"""A staged procedure: states grouped into stages, and moves between them that named
roles may make (for example Leicester's three-stage disagreement procedure, 5d-5f).

Pure and deterministic. A move may name the ``standard`` whose respond_within rule sets
its deadline; the caller computes that deadline.

Beyond the state machine, a procedure says, as data, who holds each role (a party to
the case, one side of it, or a role the compact gives a person: subgroup chair, member,
mediator, steering or working group, support team), from which state each role sees a
case, which stages' records only some roles may read, which states publish the case's
public record, what each move must record, whether every party must make a move before
it takes effect (``each_party``), and the findings the procedure can end with.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import RuleError
from .verdicts import Clause, and_list


class MoveRefused(Exception):
    """A move that cannot be made now; ``message`` says why and what can happen instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Who may hold a procedure's role: the parties (any side), the side that raised the
# case, the side it was raised against, or a role the compact gives a person.
PARTY_HOLDERS = ("party", "raising-party", "answering-party")
PERSON_HOLDERS = (
    "subgroup-chair",
    "subgroup-member",
    "mediator",
    "steering-group",
    "support-team",
)
HOLDERS = PARTY_HOLDERS + PERSON_HOLDERS
RECORD_KINDS = (
    "text",
    "long-text",
    "date",
    "document",
    "finding",
    "yes-no",
    "subgroup-members",
    "person",
)


@dataclass(frozen=True)
class State:
    id: str
    title: str
    stage: str
    final: bool = False
    public: bool = False


@dataclass(frozen=True)
class Record:
    """Something a move (or opening the case) must or may record."""

    id: str
    title: str
    kind: str
    required: bool = False
    required_if: str | None = None  # required when an earlier yes-no record is yes
    required_for_findings: tuple[str, ...] = ()  # required when the finding is one of these
    public: bool = False  # published with the case's public record
    hint: str = ""

    def is_required(self, *, earlier: Mapping[str, Any], finding: str | None = None) -> bool:
        if self.required:
            return True
        if self.required_if is not None and earlier.get(self.required_if) is True:
            return True
        return finding is not None and finding in self.required_for_findings


@dataclass(frozen=True)
class Move:
    id: str
    title: str
    from_states: tuple[str, ...]
    to: str
    actors: tuple[str, ...]
    standard: str | None = None
    in_writing: bool = False
    clause: Clause | None = None
    each_party: bool = False
    records: tuple[Record, ...] = ()
    summary: str = ""


@dataclass(frozen=True)
class StagedProcedure:
    title: str
    roles: dict[str, str]  # role id -> title
    states: dict[str, State]
    initial: str
    moves: dict[str, Move]
    holders: dict[str, str] = field(default_factory=dict)  # role id -> holder
    sees_from: dict[str, str] = field(default_factory=dict)  # role id -> state id
    restricted: dict[str, tuple[str, ...]] = field(default_factory=dict)  # stage -> roles
    opening: tuple[Record, ...] = ()
    findings: dict[str, str] = field(default_factory=dict)  # finding id -> title
    stage_titles: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_definition(
        cls,
        data: Mapping[str, Any],
        *,
        path: Sequence[str | int] = ("disagreement_procedure",),
        standard_ids: Collection[str] | None = None,
    ) -> StagedProcedure:
        """Build from the definition's ``procedure``, checking every reference.

        RuleError (with its path) for: a repeated id, a move from or to an unknown state,
        an unknown role, a move out of a final state, a missing or unknown initial state,
        no final state, a final state that cannot be reached from the initial one, and
        (if ``standard_ids`` is given) a move naming an unknown standard.
        """
        at = tuple(path)
        roles = {}
        holders: dict[str, str] = {}
        for i, role in enumerate(data.get("roles", ())):
            _unique(role["id"], roles, (*at, "roles", i, "id"))
            roles[role["id"]] = role.get("title", role["id"])
            if role.get("held_by") is not None:
                _known(role["held_by"], HOLDERS, "holder", (*at, "roles", i, "held_by"))
                holders[role["id"]] = role["held_by"]
        states: dict[str, State] = {}
        for i, s in enumerate(data.get("states", ())):
            _unique(s["id"], states, (*at, "states", i, "id"))
            states[s["id"]] = State(
                s["id"], s["title"], s["stage"], bool(s.get("final")), bool(s.get("public"))
            )
        sees_from: dict[str, str] = {}
        for i, role in enumerate(data.get("roles", ())):
            if role.get("sees_from") is not None:
                _known(role["sees_from"], states, "state", (*at, "roles", i, "sees_from"))
                sees_from[role["id"]] = role["sees_from"]
        restricted: dict[str, tuple[str, ...]] = {}
        stage_titles: dict[str, str] = {}
        for i, stage in enumerate(data.get("stages", ())):
            stage_titles[stage["id"]] = stage.get("title", stage["id"])
            if stage.get("restricted_to"):
                for j, role in enumerate(stage["restricted_to"]):
                    _known(role, roles, "role", (*at, "stages", i, "restricted_to", j))
                restricted[stage["id"]] = tuple(stage["restricted_to"])
        findings = {f["id"]: f.get("title", f["id"]) for f in data.get("findings", ())}
        opening = _records(data.get("opening", ()), findings, (*at, "opening"))
        record_ids = {r.id for r in opening}
        initial = data.get("initial")
        if initial is None:
            raise RuleError("The procedure must name its initial state.", (*at, "initial"))
        _known(initial, states, "state", (*at, "initial"))
        moves: dict[str, Move] = {}
        for i, m in enumerate(data.get("moves", ())):
            where = (*at, "moves", i)
            _unique(m["id"], moves, (*where, "id"))
            for j, source in enumerate(m["from"]):
                _known(source, states, "state", (*where, "from", j))
                if states[source].final:
                    raise RuleError(
                        f"State {source!r} is final, so no move can start from it.",
                        (*where, "from", j),
                    )
            _known(m["to"], states, "state", (*where, "to"))
            for j, actor in enumerate(m["actors"]):
                _known(actor, roles, "role", (*where, "actors", j))
            standard = m.get("standard")
            if standard is not None and standard_ids is not None:
                _known(standard, standard_ids, "standard", (*where, "standard"))
            clause = Clause.parse(m["clause"]) if m.get("clause") else None
            records = _records(m.get("records", ()), findings, (*where, "records"))
            record_ids |= {r.id for r in records}
            each_party = bool(m.get("each_party"))
            if (
                each_party
                and holders
                and not any(holders.get(a) in PARTY_HOLDERS for a in m["actors"])
            ):
                raise RuleError(
                    "A move every party must make needs a party among its actors.",
                    (*where, "each_party"),
                )
            moves[m["id"]] = Move(
                m["id"],
                m["title"],
                tuple(m["from"]),
                m["to"],
                tuple(m["actors"]),
                standard,
                bool(m.get("in_writing")),
                clause,
                each_party,
                records,
                m.get("summary", ""),
            )
        for i, m in enumerate(data.get("moves", ())):
            for j, r in enumerate(m.get("records", ())):
                if r.get("required_if") is not None and r["required_if"] not in record_ids:
                    raise RuleError(
                        f"Unknown record {r['required_if']!r}.",
                        (*at, "moves", i, "records", j, "required_if"),
                    )
        procedure = cls(
            data.get("title", ""),
            roles,
            states,
            initial,
            moves,
            holders,
            sees_from,
            restricted,
            opening,
            findings,
            stage_titles,
        )
        procedure._check_finals_reachable(at)
        return procedure

    def _check_finals_reachable(self, at: tuple[str | int, ...]) -> None:
        if not any(state.final for state in self.states.values()):
            raise RuleError("The procedure needs at least one final state.", (*at, "states"))
        reached, frontier = {self.initial}, [self.initial]
        while frontier:
            here = frontier.pop()
            for move in self.moves.values():
                if here in move.from_states and move.to not in reached:
                    reached.add(move.to)
                    frontier.append(move.to)
        for i, state in enumerate(self.states.values()):
            if state.final and state.id not in reached:
                raise RuleError(
                    f"Final state {state.id!r} cannot be reached from {self.initial!r}.",
                    (*at, "states", i),
                )

    def roles_held_by(self, *holders: str) -> set[str]:
        """The ids of the roles held by any of ``holders``."""
        return {role for role, holder in self.holders.items() if holder in holders}

    def restricted_roles(self, state_id: str) -> tuple[str, ...] | None:
        """The roles that alone may read records made in this state's stage (None: all)."""
        return self.restricted.get(self.state(state_id).stage)

    def sees(self, role: str, visited: Collection[str]) -> bool:
        """Whether holders of ``role`` see a case that has been in the ``visited`` states."""
        start = self.sees_from.get(role)
        return start is None or start in visited

    def completes(self, move_id: str, *, parts: Collection[str], parties: Collection[str]) -> bool:
        """Whether a move takes effect, given the parties that have made their part.

        A move not marked ``each_party`` takes effect when anyone allowed makes it.
        """
        if not self.moves[move_id].each_party:
            return True
        return set(parties) <= set(parts)

    def state(self, state_id: str) -> State:
        """The state with this id (RuleError if the procedure has none)."""
        try:
            return self.states[state_id]
        except KeyError:
            raise RuleError(f"This procedure has no state {state_id!r}.", ("state",)) from None

    def moves_from(self, state_id: str) -> list[Move]:
        """Every move that can start from this state, whoever makes it."""
        self.state(state_id)
        return [move for move in self.moves.values() if state_id in move.from_states]

    def allowed_moves(self, state_id: str, actor_roles: Collection[str]) -> list[Move]:
        """The moves from this state that someone with ``actor_roles`` may make."""
        return [m for m in self.moves_from(state_id) if set(m.actors) & set(actor_roles)]

    def move(self, state_id: str, move_id: str, actor_roles: Collection[str]) -> str:
        """Make a move and return the new state id, or raise MoveRefused saying why."""
        state = self.state(state_id)
        if state.final:
            raise MoveRefused(
                f"The case is closed: '{state.title}' is a final state, so nothing more "
                "can happen in this procedure."
            )
        move = self.moves.get(move_id)
        if move is None:
            raise MoveRefused(f"This procedure has no step called {move_id!r}.")
        if state_id not in move.from_states:
            next_steps = and_list([f"'{m.title}'" for m in self.moves_from(state_id)]) or "nothing"
            raise MoveRefused(
                f"'{move.title}' cannot be done while the case is at '{state.title}'. "
                f"What can happen next: {next_steps}."
            )
        if not set(move.actors) & set(actor_roles):
            who = " or ".join(self.roles[a] for a in move.actors)
            raise MoveRefused(f"'{move.title}' can be done only by: {who}.")
        return move.to


def _records(
    data: Sequence[Mapping[str, Any]], findings: Collection[str], at: tuple[str | int, ...]
) -> tuple[Record, ...]:
    records: dict[str, Record] = {}
    for i, r in enumerate(data):
        _unique(r["id"], records, (*at, i, "id"))
        _known(r["kind"], RECORD_KINDS, "kind of record", (*at, i, "kind"))
        if r["kind"] == "finding" and not findings:
            raise RuleError("A finding is recorded, but the procedure lists no findings.", (*at, i))
        for j, finding in enumerate(r.get("required_for_findings", ())):
            _known(finding, findings, "finding", (*at, i, "required_for_findings", j))
        records[r["id"]] = Record(
            r["id"],
            r["title"],
            r["kind"],
            bool(r.get("required")),
            r.get("required_if"),
            tuple(r.get("required_for_findings", ())),
            bool(r.get("public")),
            r.get("hint", ""),
        )
    return tuple(records.values())


def _unique(key: str, seen: Collection[str], path: tuple[str | int, ...]) -> None:
    if key in seen:
        raise RuleError(f"The id {key!r} is used twice.", path)


def _known(key: str, known: Collection[str], what: str, path: tuple[str | int, ...]) -> None:
    if key not in known:
        raise RuleError(f"Unknown {what} {key!r}.", path)

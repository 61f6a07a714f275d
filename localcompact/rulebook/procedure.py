"""A staged procedure: states grouped into stages, and moves between them that named
roles may make (for example Leicester's three-stage disagreement procedure, 5d-5f).

Pure and deterministic. A move may name the ``standard`` whose respond_within rule sets
its deadline; the caller computes that deadline.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import RuleError
from .verdicts import Clause, and_list


class MoveRefused(Exception):
    """A move that cannot be made now; ``message`` says why and what can happen instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class State:
    id: str
    title: str
    stage: str
    final: bool = False


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


@dataclass(frozen=True)
class StagedProcedure:
    title: str
    roles: dict[str, str]  # role id -> title
    states: dict[str, State]
    initial: str
    moves: dict[str, Move]

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
        for i, role in enumerate(data.get("roles", ())):
            _unique(role["id"], roles, (*at, "roles", i, "id"))
            roles[role["id"]] = role.get("title", role["id"])
        states: dict[str, State] = {}
        for i, s in enumerate(data.get("states", ())):
            _unique(s["id"], states, (*at, "states", i, "id"))
            states[s["id"]] = State(s["id"], s["title"], s["stage"], bool(s.get("final")))
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
            moves[m["id"]] = Move(
                m["id"],
                m["title"],
                tuple(m["from"]),
                m["to"],
                tuple(m["actors"]),
                standard,
                bool(m.get("in_writing")),
                clause,
            )
        procedure = cls(data.get("title", ""), roles, states, initial, moves)
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


def _unique(key: str, seen: Collection[str], path: tuple[str | int, ...]) -> None:
    if key in seen:
        raise RuleError(f"The id {key!r} is used twice.", path)


def _known(key: str, known: Collection[str], what: str, path: tuple[str | int, ...]) -> None:
    if key not in known:
        raise RuleError(f"Unknown {what} {key!r}.", path)

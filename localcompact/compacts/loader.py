"""Reading and checking compact definitions, before anything touches the database.

`read_definition(path)` returns the parsed definition or raises DefinitionError naming
the file and the field path. Three layers of checks, in order:

1. YAML syntax;
2. the JSON Schema in `compact.schema.yaml` (shape and types);
3. meaning: ids unique, references resolve, every standard's params build a rule in
   the rules package, the disagreement procedure is a working state machine.
"""

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from localcompact.rulebook import AllowedException, Clause, ExceptionKind, RuleError, build
from localcompact.rulebook.procedure import StagedProcedure

SCHEMA_PATH = Path(__file__).with_name("compact.schema.yaml")

# owed_to may also name these, besides parties, roles and bodies.
OWED_TO_GROUPS = frozenset({"respondents", "partners", "applicants", "signatories", "everyone"})


class DefinitionError(Exception):
    """A compact definition that cannot be loaded, with where and why."""

    def __init__(self, file: str, problems: list[tuple[str, str]]):
        self.file = file
        self.problems = problems
        lines = [f"{file}: {path}: {message}" for path, message in problems]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Definition:
    path: Path
    data: dict[str, Any]
    digest: str

    @property
    def slug(self) -> str:
        return self.data["slug"]


@cache
def schema() -> dict[str, Any]:
    with SCHEMA_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def format_path(parts: Iterable[Any]) -> str:
    """("standards", 3, "params", "period") -> "standards[3].params.period"."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


def digest_of(data: Mapping[str, Any]) -> str:
    """A fingerprint of the definition's content, blind to comments and layout."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_definition(path: Path) -> Definition:
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError(name, [("(file)", f"cannot be read: {exc}")]) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(YAML)"
        problem = getattr(exc, "problem", None) or str(exc)
        raise DefinitionError(name, [(where, f"is not valid YAML: {problem}")]) from exc
    if not isinstance(data, dict):
        raise DefinitionError(name, [("(top level)", "must be a mapping of fields")])

    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise DefinitionError(
            name, [(format_path(e.absolute_path), schema_message(e)) for e in errors]
        )

    problems = list(check_meaning(data))
    if data["slug"] != path.stem:
        problems.insert(0, ("slug", f"is {data['slug']!r} but the file is named {path.name!r}"))
    if problems:
        raise DefinitionError(name, problems)
    return Definition(path=path, data=data, digest=digest_of(data))


def schema_message(error: jsonschema.ValidationError) -> str:
    """The most specific thing to fix, from a schema error."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        deepest = max(error.context, key=lambda e: len(e.absolute_path))
        return deepest.message
    return error.message


def check_meaning(data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """Everything the schema cannot say: uniqueness, references, rules that build."""
    documents = {doc["file"] for doc in data["documents"]}
    yield from duplicates("documents", [doc["file"] for doc in data["documents"]])

    for path, clause in clauses(data):
        if clause["document"] not in documents:
            yield f"{path}.document", f"cites {clause['document']!r}, which is not in documents"

    party_ids = [party["id"] for party in data["parties"]]
    yield from duplicates("parties", party_ids)
    code_slugs = [code["slug"] for code in data["codes"]]
    yield from duplicates("codes", code_slugs)
    yield from duplicates(
        "codes[].undertakings",
        [u["id"] for code in data["codes"] for u in code["undertakings"]],
    )
    for kind in ("principles", "values", "outcomes"):
        yield from duplicates(kind, [s["id"] for s in data.get(kind, [])])

    for c, code in enumerate(data["codes"]):
        for u, undertaking in enumerate(code["undertakings"]):
            if undertaking["party"] not in party_ids:
                yield (
                    f"codes[{c}].undertakings[{u}].party",
                    f"is {undertaking['party']!r}, which is not one of the parties "
                    f"({', '.join(party_ids)})",
                )

    procedure = data.get("disagreement_procedure")
    role_ids = [role["id"] for role in procedure["roles"]] if procedure else []
    bodies = {body["id"]: body for body in data.get("bodies", [])}
    yield from duplicates("bodies", [body["id"] for body in data.get("bodies", [])])

    standard_ids = [standard["id"] for standard in data["standards"]]
    yield from duplicates("standards", standard_ids)
    for s, standard in enumerate(data["standards"]):
        path = f"standards[{s}]"
        if "code" in standard and standard["code"] not in code_slugs:
            yield f"{path}.code", f"is {standard['code']!r}, which is not one of the codes"
        yield from check_party_ref(
            f"{path}.owed_by", standard["owed_by"], party_ids, role_ids, bodies
        )
        yield from check_party_ref(
            f"{path}.owed_to",
            standard["owed_to"],
            party_ids,
            role_ids,
            bodies,
            groups=OWED_TO_GROUPS,
        )
        if standard["rule"] == "seat_quotas" and standard["params"]["body"] not in bodies:
            yield f"{path}.params.body", f"names {standard['params']['body']!r}, not a body"
        try:
            build_rule(standard)
        except RuleError as exc:
            yield format_path((path, *exc.path)), str(exc.message)

    for o, outcome in enumerate(data.get("outcomes", [])):
        for indicator in outcome.get("indicators", []):
            if indicator not in standard_ids:
                yield f"outcomes[{o}].indicators", f"names {indicator!r}, not a standard"

    for b, body in enumerate(data.get("bodies", [])):
        seat_ids = [seat["id"] for seat in body["seats"]]
        yield from duplicates(f"bodies[{b}].seats", seat_ids)
        for seat in body.get("growth", {}).get("seats", []):
            if seat not in seat_ids:
                yield f"bodies[{b}].growth.seats", f"names {seat!r}, which is not a seat"
        if body.get("chair_seat") and body["chair_seat"] not in seat_ids:
            yield f"bodies[{b}].chair_seat", f"names {body['chair_seat']!r}, not a seat"
        if body.get("parent") and body["parent"] not in bodies:
            yield f"bodies[{b}].parent", f"names {body['parent']!r}, which is not a body"

    if procedure:
        if procedure.get("basis") == "platform-default" and not procedure.get("basis_note"):
            yield (
                "disagreement_procedure.basis_note",
                "a platform default procedure must say why the compact needs one",
            )
        for r, role in enumerate(procedure["roles"]):
            if "held_by" not in role:
                yield (
                    f"disagreement_procedure.roles[{r}].held_by",
                    "say who holds the role (a party, one side, or a role the compact gives)",
                )
        stage_ids = [stage["id"] for stage in procedure["stages"]]
        yield from duplicates("disagreement_procedure.stages", stage_ids)
        for n, state in enumerate(procedure["states"]):
            if state["stage"] not in stage_ids:
                yield (
                    f"disagreement_procedure.states[{n}].stage",
                    f"is {state['stage']!r}, which is not one of the stages",
                )
        try:
            StagedProcedure.from_definition(procedure, standard_ids=set(standard_ids))
        except RuleError as exc:
            yield format_path(exc.path), str(exc.message)


def check_party_ref(path, value, party_ids, role_ids, bodies, groups=frozenset()):
    if value in party_ids or value in groups:
        return
    prefix, _, ident = value.partition(":")
    if prefix == "role" and ident in role_ids:
        return
    if prefix == "body" and ident in bodies:
        return
    yield (
        path,
        (
            f"is {value!r}: use a party id, role:<procedure role>, body:<body id>"
            + (f", or one of {', '.join(sorted(groups))}" if groups else "")
        ),
    )


def build_rule(standard: Mapping[str, Any]):
    exception = standard.get("exception")
    return build(
        standard["rule"],
        standard["params"],
        clause=Clause(document=standard["clause"]["document"], ref=standard["clause"]["ref"]),
        exception=(
            AllowedException(kind=ExceptionKind(exception["kind"]), summary=exception["summary"])
            if exception
            else None
        ),
        due_soon_working_days=standard.get("due_soon_working_days", 5),
    )


def duplicates(path: str, ids: list[str]) -> Iterator[tuple[str, str]]:
    for ident, count in Counter(ids).items():
        if count > 1:
            yield path, f"{ident!r} is used {count} times; ids must be unique"


def clauses(node: Any, path: str = "") -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every clause in the definition, with its field path."""
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{path}.{key}" if path else key
            if key in ("clause", "pledge_clause", "withdrawal_clause") and isinstance(value, dict):
                yield child, value
            else:
                yield from clauses(value, child)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from clauses(value, f"{path}[{index}]")

"""Loading compact definitions: whole or not at all, idempotent, versioned."""

import datetime as dt

import pytest
from django.utils import timezone

from localcompact.compacts.loader import Definition, DefinitionError, digest_of, read_definition
from localcompact.compacts.models import (
    Compact,
    CompactVersion,
    GlossaryTerm,
    Standard,
    Undertaking,
)
from localcompact.compacts.services import compact_load, compacts_load

from .conftest import tiny_definition, write

NOW = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


def load(path, now=NOW):
    return compact_load(definition=read_definition(path), now=now)


def problems_of(path) -> list[tuple[str, str]]:
    with pytest.raises(DefinitionError) as caught:
        read_definition(path)
    assert caught.value.file == path.name
    return caught.value.problems


@pytest.mark.django_db
class TestLoading:
    def test_a_valid_definition_becomes_version_one_with_all_its_rows(self, tmp_path):
        result = load(write(tmp_path, tiny_definition(undertakings=4, glossary=3)))

        assert (result.slug, result.version, result.outcome) == ("testshire", 1, "new")
        compact = Compact.objects.get(slug="testshire")
        assert compact.current_version.number == 1
        assert Undertaking.objects.filter(version=compact.current_version).count() == 4
        assert GlossaryTerm.objects.filter(version=compact.current_version).count() == 3
        standard = Standard.objects.get(version=compact.current_version)
        assert standard.params["period"] == {"count": 12, "unit": "weeks"}
        assert (standard.clause.document, standard.clause.ref) == (
            "999_0000000000000000.txt",
            "3.0",
        )

    def test_loading_the_same_definition_twice_changes_nothing(self, tmp_path):
        path = write(tmp_path, tiny_definition())
        load(path)
        again = load(path)

        assert again.outcome == "unchanged"
        assert CompactVersion.objects.count() == 1
        assert Standard.objects.count() == 1

    def test_comments_and_layout_alone_do_not_make_a_new_version(self, tmp_path):
        path = write(tmp_path, tiny_definition())
        load(path)
        path.write_text("# a comment\n" + path.read_text(encoding="utf-8"), encoding="utf-8")

        assert load(path).outcome == "unchanged"

    def test_a_changed_definition_becomes_a_new_version_and_the_old_one_is_kept(self, tmp_path):
        data = tiny_definition()
        path = write(tmp_path, data)
        load(path)
        old_standard = Standard.objects.get()

        data["standards"][0]["params"]["period"]["count"] = 8
        write(tmp_path, data)
        result = load(path, now=NOW + dt.timedelta(days=1))

        assert (result.version, result.outcome) == (2, "new version")
        compact = Compact.objects.get()
        assert compact.current_version.number == 2
        old_standard.refresh_from_db()
        assert old_standard.version.number == 1
        assert old_standard.params["period"]["count"] == 12
        current = Standard.objects.get(version=compact.current_version)
        assert current.params["period"]["count"] == 8
        assert current.pk != old_standard.pk

    def test_going_back_to_an_earlier_definition_makes_that_version_current_again(self, tmp_path):
        data = tiny_definition()
        path = write(tmp_path, data)
        load(path)
        data["name"] = "Testshire Compact (revised)"
        write(tmp_path, data)
        load(path)
        data["name"] = "Testshire Compact"
        write(tmp_path, data)

        result = load(path)

        assert (result.version, result.outcome) == (1, "reinstated")
        assert Compact.objects.get().current_version.number == 1
        assert CompactVersion.objects.count() == 2

    def test_loading_the_files_again_keeps_a_version_adopted_on_the_platform(self, tmp_path):
        data = tiny_definition()
        path = write(tmp_path, data)
        load(path)
        revised = {**data, "name": "Testshire Compact (as revised by its review)"}
        adopted = compact_load(
            definition=Definition(path=path, data=revised, digest=digest_of(revised)),
            now=NOW,
            adopted_here=True,
        )

        again = compacts_load(paths=[path], now=NOW)[0]

        assert (again.version, again.outcome) == (1, "kept")
        compact = Compact.objects.get()
        assert compact.current_version.number == adopted.version == 2
        assert compact.current_version.adopted_here

    def test_a_changed_file_is_stored_but_the_adopted_version_stays_current(self, tmp_path):
        data = tiny_definition()
        path = write(tmp_path, data)
        load(path)
        revised = {**data, "name": "Testshire Compact (revised here)"}
        compact_load(
            definition=Definition(path=path, data=revised, digest=digest_of(revised)),
            now=NOW,
            adopted_here=True,
        )
        write(tmp_path, {**data, "name": "Testshire Compact (edited file)"})

        result = load(path)

        assert (result.version, result.outcome) == (3, "kept")
        assert Compact.objects.get().current_version.number == 2

    def test_replace_adopted_lets_the_file_take_over_again(self, tmp_path):
        data = tiny_definition()
        path = write(tmp_path, data)
        load(path)
        revised = {**data, "name": "Testshire Compact (revised here)"}
        compact_load(
            definition=Definition(path=path, data=revised, digest=digest_of(revised)),
            now=NOW,
            adopted_here=True,
        )

        result = compacts_load(paths=[path], now=NOW, replace_adopted=True)[0]

        assert (result.version, result.outcome) == (1, "reinstated")
        assert Compact.objects.get().current_version.number == 1

    def test_a_bad_file_is_refused_and_the_good_ones_still_load(self, tmp_path):
        good = write(tmp_path, tiny_definition())
        bad_data = tiny_definition()
        bad_data["slug"] = "badshire"
        bad_data["nation"] = "wessex"
        bad = write(tmp_path, bad_data)

        results = compacts_load(paths=[good, bad], now=timezone.now())

        outcomes = {r.file: r.outcome for r in results}
        assert outcomes == {"testshire.yaml": "new", "badshire.yaml": "refused"}
        assert list(Compact.objects.values_list("slug", flat=True)) == ["testshire"]


class TestRefusals:
    """A bad definition is refused whole, with the file and the field path."""

    def test_broken_yaml_is_refused_with_its_line(self, tmp_path):
        path = tmp_path / "testshire.yaml"
        path.write_text("slug: testshire\nname: [unclosed\n", encoding="utf-8")

        [(where, message)] = problems_of(path)
        assert where.startswith("line ")
        assert "not valid YAML" in message

    def test_a_wrong_value_is_refused_with_the_field_path(self, tmp_path):
        data = tiny_definition()
        data["standards"][0]["params"]["period"]["unit"] = "fortnights"

        problems = problems_of(write(tmp_path, data))

        assert problems == [
            (
                "standards[0].params.period.unit",
                "'fortnights' is not one of ['days', 'working_days', 'weeks', 'months']",
            )
        ]

    def test_params_that_the_rules_package_cannot_build_are_refused(self, tmp_path):
        data = tiny_definition()
        data["standards"][0]["params"]["ideal"] = {"count": 2, "unit": "weeks"}

        [(path, message)] = problems_of(write(tmp_path, data))

        assert path == "standards[0].params.ideal.count"
        assert "shorter than the minimum" in message

    def test_a_missing_required_field_is_named(self, tmp_path):
        data = tiny_definition()
        del data["codes"][0]["undertakings"][0]["clause"]

        problems = problems_of(write(tmp_path, data))

        assert ("codes[0].undertakings[0]", "'clause' is a required property") in problems

    def test_an_undertaking_by_an_unknown_party_is_refused(self, tmp_path):
        data = tiny_definition()
        data["codes"][0]["undertakings"][0]["party"] = "dragons"

        [(path, message)] = problems_of(write(tmp_path, data))

        assert path == "codes[0].undertakings[0].party"
        assert "'dragons'" in message and "public-sector" in message

    def test_a_clause_citing_an_unlisted_document_is_refused(self, tmp_path):
        data = tiny_definition()
        data["principles"][0]["clause"]["document"] = "998_0000000000000000.txt"

        [(path, message)] = problems_of(write(tmp_path, data))

        assert path == "principles[0].clause.document"
        assert "not in documents" in message

    def test_duplicate_ids_are_refused(self, tmp_path):
        data = tiny_definition(standards=2)
        data["standards"][1]["id"] = data["standards"][0]["id"]

        [(path, message)] = problems_of(write(tmp_path, data))

        assert path == "standards"
        assert "used 2 times" in message

    def test_a_standard_owed_by_nobody_known_is_refused(self, tmp_path):
        data = tiny_definition()
        data["standards"][0]["owed_by"] = "role:wizard"

        [(path, message)] = problems_of(write(tmp_path, data))

        assert path == "standards[0].owed_by"

    def test_a_file_named_differently_from_its_slug_is_refused(self, tmp_path):
        path = write(tmp_path, tiny_definition(), name="elsewhere.yaml")

        [(where, message)] = problems_of(path)

        assert where == "slug"
        assert "elsewhere.yaml" in message

    @pytest.mark.django_db
    def test_nothing_of_a_refused_definition_is_written(self, tmp_path):
        data = tiny_definition()
        data["standards"][0]["rule"] = "vibes"

        result = compacts_load(paths=[write(tmp_path, data)], now=timezone.now())

        assert result[0].outcome == "refused"
        assert not Compact.objects.exists()
        assert not Standard.objects.exists()


@pytest.mark.django_db
def test_a_compact_counts_working_days_with_its_own_nation_s_bank_holidays(tmp_path):
    data = tiny_definition()
    data["nation"] = "scotland"
    version = CompactVersion.objects.get(compact__slug=load(write(tmp_path, data)).slug, number=1)
    # 2 January 2025 is a bank holiday in Scotland only
    assert not version.calendar.is_working_day(dt.date(2025, 1, 2))
    data["nation"] = "england-and-wales"
    load(write(tmp_path, data))
    england = CompactVersion.objects.get(number=2)
    assert england.calendar.is_working_day(dt.date(2025, 1, 2))


def test_a_default_procedure_must_say_why_and_every_role_who_holds_it(tmp_path):
    import yaml
    from django.conf import settings

    source = settings.COMPACT_DEFINITIONS_DIR / "city-together.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    del data["disagreement_procedure"]["basis_note"]
    del data["disagreement_procedure"]["roles"][2]["held_by"]
    path = tmp_path / "city-together.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")

    assert [p for p, _ in problems_of(path)] == [
        "disagreement_procedure.basis_note",
        "disagreement_procedure.roles[2].held_by",
    ]

"""The compact management commands: load_compacts, compact list, compact export."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from .conftest import tiny_definition, write


def run(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **kwargs)
    return out.getvalue()


@pytest.mark.django_db
class TestLoadCompacts:
    def test_it_reports_each_compact_loaded_and_is_idempotent(self, tmp_path):
        write(tmp_path, tiny_definition())
        assert run("load_compacts", dir=tmp_path) == "testshire: version 1 (new)\n"
        assert run("load_compacts", dir=tmp_path) == "testshire: version 1 (unchanged)\n"

    def test_it_fails_naming_the_file_and_field_of_a_bad_definition(self, tmp_path):
        data = tiny_definition()
        data["codes"][0]["undertakings"][0]["party"] = "dragons"
        write(tmp_path, data)
        err = io.StringIO()
        with pytest.raises(CommandError, match="1 of 1 definitions refused: testshire.yaml"):
            call_command("load_compacts", dir=tmp_path, stdout=io.StringIO(), stderr=err)
        assert "testshire.yaml: codes[0].undertakings[0].party: is 'dragons'" in err.getvalue()

    def test_an_empty_folder_is_an_error_not_a_silent_success(self, tmp_path):
        with pytest.raises(CommandError, match="No compact definitions"):
            run("load_compacts", dir=tmp_path)


@pytest.mark.django_db
class TestCompactCommand:
    def test_list_prints_each_slug_and_name_one_a_line(self, tmp_path):
        write(tmp_path, tiny_definition())
        other = tiny_definition()
        other.update(slug="otherton", name="Otherton Compact")
        write(tmp_path, other)
        run("load_compacts", dir=tmp_path)

        assert run("compact", "list") == (
            "otherton\tOtherton Compact\ntestshire\tTestshire Compact\n"
        )

    def test_export_prints_the_loaded_definition_as_json(self, tmp_path):
        data = tiny_definition()
        write(tmp_path, data)
        run("load_compacts", dir=tmp_path)

        exported = json.loads(run("compact", "export", "testshire"))

        assert exported["version"] == 1
        [standard] = exported["standards"]
        assert {"id", "rule", "params", "strictness", "exception", "clause"} <= set(standard)
        assert standard["params"] == data["standards"][0]["params"]
        assert exported["codes"] == data["codes"]
        assert exported["glossary"] == data["glossary"]

    def test_export_of_an_earlier_version_gives_that_version(self, tmp_path):
        data = tiny_definition()
        write(tmp_path, data)
        run("load_compacts", dir=tmp_path)
        data["standards"][0]["params"]["period"]["count"] = 6
        write(tmp_path, data)
        run("load_compacts", dir=tmp_path)

        old = json.loads(run("compact", "export", "testshire", "--version", "1"))
        new = json.loads(run("compact", "export", "testshire"))

        assert old["standards"][0]["params"]["period"]["count"] == 12
        assert new["standards"][0]["params"]["period"]["count"] == 6
        assert new["version"] == 2

    def test_export_of_an_unknown_compact_names_those_loaded(self, tmp_path):
        write(tmp_path, tiny_definition())
        run("load_compacts", dir=tmp_path)
        with pytest.raises(CommandError, match="Loaded compacts: testshire"):
            run("compact", "export", "nowhere")

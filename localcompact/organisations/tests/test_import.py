"""`import_organisations`: an upsert by identifier from a register extract.

The files in `data/` are invented: names, numbers and addresses belong to no real
organisation. `charity_commission.txt` has the column names of the Charity Commission
for England and Wales's register extract (its "charity" table, tab-separated).
"""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from localcompact.organisations import importing
from localcompact.organisations.importing import ImportFileError, organisations_import
from localcompact.organisations.models import (
    Identifier,
    IncomeBand,
    Kind,
    Organisation,
    Sector,
)

from .test_register_fixtures import organisation_made

DATA = Path(__file__).parent / "data"
NOW = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


def run(path: Path, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_organisations", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_rejecting(path: Path, *args) -> tuple[str, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_organisations", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), str(refused.value)


def csv_file(tmp_path: Path, text: str, name: str = "extract.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEADER = (
    "name,sector,kind,identifier,area_served,website,public_email,income_band,"
    "bme_led,equality_and_diversity,receives_public_funding\n"
)


@pytest.mark.django_db
class TestGoodRows:
    def test_each_row_becomes_an_organisation_with_its_identifier(self):
        out, err = run(DATA / "generic.csv")
        assert out == "4 created, 0 updated, 0 unchanged, 0 rejected.\n"
        assert err == ""
        bank = Organisation.objects.get(identifiers__scheme="GB-CHC", identifiers__value="1234567")
        assert bank.name == "Aylestone Food Bank"
        assert bank.slug == "aylestone-food-bank"
        assert (bank.sector, bank.kind) == (Sector.VCS, Kind.REGISTERED_CHARITY)
        assert bank.area_served == "Aylestone and Saffron"
        assert bank.website == "https://aylestone-food.example.org"
        assert bank.public_email == "hello@aylestone-food.example.org"
        assert bank.income_band == IncomeBand.FROM_10K
        assert (bank.bme_led, bank.receives_public_funding) == (False, True)

    def test_cells_are_tidied_as_they_are_read(self):
        run(DATA / "generic.csv")
        council = Organisation.objects.get(identifiers__value="TST")
        assert council.website == "https://www.testshire.example.gov.uk"
        assert council.kind == Kind.COUNCIL
        forum = Organisation.objects.get(identifiers__scheme="GB-COH")
        assert forum.identifiers.get().value == "01234567"  # upper-cased, spaces removed
        assert forum.name == "Belgrave Women's Forum, Testshire"
        assert forum.area_served == "Belgrave and Rushey Mead"  # the line break is a space
        assert forum.bme_led and forum.equality_and_diversity

    def test_an_empty_cell_means_the_default_for_a_new_organisation(self):
        run(DATA / "generic.csv")
        tenants = Organisation.objects.get(name="Testshire Tenants Together")
        assert tenants.income_band == IncomeBand.UNKNOWN
        assert tenants.bme_led is False

    def test_the_import_is_in_the_history_with_the_file_s_name(self):
        run(DATA / "generic.csv")
        bank = Organisation.objects.get(name="Aylestone Food Bank")
        [record] = bank.history.all()
        assert record.history_type == "+"
        assert record.history_change_reason == "Imported from generic.csv"
        [identifier] = Identifier.history.filter(organisation_id=bank.pk)
        assert identifier.history_change_reason == "Imported from generic.csv"

    def test_a_taken_slug_gets_the_identifier_added(self):
        organisation_made("Aylestone Food Bank", slug="aylestone-food-bank")
        run(DATA / "generic.csv")
        imported = Organisation.objects.get(identifiers__value="1234567")
        assert imported.slug == "aylestone-food-bank-gb-chc-1234567"

    def test_an_organisation_named_new_does_not_take_the_new_organisation_page(self, tmp_path):
        run(csv_file(tmp_path, "name,sector,identifier\nNew,vcs,GB-CHC-1000001\n"))
        assert Organisation.objects.get().slug == "new-gb-chc-1000001"


@pytest.mark.django_db
class TestBadRows:
    EXPECTED = [
        "line 3: identifier 'XX-CHC-2000002' is not an org-id from a known scheme",
        "line 4: identifier 'GB-CHC-12AB' is not a valid Charity Commission for England "
        "and Wales identifier",
        "line 5: name is empty",
        "line 6: sector 'pirates' is not one of public, vcs, private",
        "line 7: kind 'dragon' is not one of council,",
        "line 8: website 'https://not a web address' is not a web address",
        "line 9: e-mail address 'not-an-email' is not valid",
        "line 10: income band 'lots' is not one of under_10k, 10k_100k,",
        "line 11: bme_led must be yes or no, not 'maybe'",
        "line 12: sector is needed to add a new organisation",
        "line 13: identifier GB-CHC-2000001 is also on line 2: one line each",
        "line 14: has 4 cells but the first line names 11 columns",
    ]

    def test_each_bad_row_is_rejected_with_its_line_and_reason(self):
        out, err, refused = run_rejecting(DATA / "generic_bad.csv")
        lines = err.splitlines()
        assert len(lines) == len(self.EXPECTED)
        for line, expected in zip(lines, self.EXPECTED, strict=True):
            assert line.startswith(expected), (line, expected)
        assert out == "2 created, 0 updated, 0 unchanged, 12 rejected.\n"
        assert refused == "12 rows rejected (listed above); the other rows were imported."

    def test_nothing_of_a_bad_row_is_written(self):
        run_rejecting(DATA / "generic_bad.csv")
        assert sorted(Organisation.objects.values_list("name", flat=True)) == [
            "Good Neighbours Testshire",
            "Second Good Group",
        ]
        assert sorted(Identifier.objects.values_list("value", flat=True)) == [
            "2000001",
            "2000012",
        ]
        assert Organisation.history.count() == 2

    def test_a_bad_row_in_an_update_leaves_the_organisation_as_it_was(self, tmp_path):
        run(DATA / "generic.csv")
        bank = Organisation.objects.get(name="Aylestone Food Bank")
        path = csv_file(
            tmp_path,
            HEADER + "Renamed Food Bank,vcs,,GB-CHC-1234567,,,not-an-email,,,,\n",
        )
        _, err, _ = run_rejecting(path)
        assert err.startswith("line 2: e-mail address 'not-an-email' is not valid")
        bank.refresh_from_db()
        assert bank.name == "Aylestone Food Bank"
        assert bank.history.count() == 1

    def test_text_that_is_not_utf8_is_rejected_by_line(self, tmp_path):
        path = tmp_path / "latin1.csv"
        path.write_bytes(
            b"name,sector,identifier\n"
            b"Caf\xe9 Nour,vcs,GB-CHC-1000001\n"
            b"Good Group,vcs,GB-CHC-1000002\n"
        )
        out, err, _ = run_rejecting(path)
        assert err == "line 2: is not UTF-8 text\n"
        assert out.startswith("1 created")

    def test_a_file_without_a_required_column_imports_nothing(self, tmp_path):
        path = csv_file(tmp_path, "title,sector\nAylestone Food Bank,vcs\n")
        with pytest.raises(CommandError, match="Nothing imported: extract.csv has no column "):
            run(path)
        assert not Organisation.objects.exists()

    def test_a_missing_file_is_refused(self, tmp_path):
        with pytest.raises(CommandError, match="No file at"):
            run(tmp_path / "nowhere.csv")

    def test_an_unknown_format_is_refused(self, db):
        with pytest.raises(ImportFileError, match="unknown format"):
            organisations_import(path=DATA / "generic.csv", format="xml", now=NOW)


@pytest.mark.django_db
class TestRunningAgain:
    def test_the_same_file_again_changes_nothing(self):
        run(DATA / "generic.csv")
        history = Organisation.history.count()
        out, _ = run(DATA / "generic.csv")
        assert out == "0 created, 0 updated, 4 unchanged, 0 rejected.\n"
        assert Organisation.objects.count() == 4
        assert Organisation.history.count() == history

    def test_a_changed_cell_updates_the_organisation_and_its_history(self, tmp_path):
        run(DATA / "generic.csv")
        path = csv_file(
            tmp_path,
            HEADER + "Aylestone Community Food Bank,,,GB-CHC-1234567,,,,100k_1m,yes,,\n",
            name="changes.csv",
        )
        out, _ = run(path)
        assert out == "0 created, 1 updated, 0 unchanged, 0 rejected.\n"
        bank = Organisation.objects.get(identifiers__value="1234567")
        assert bank.name == "Aylestone Community Food Bank"
        assert bank.income_band == IncomeBand.FROM_100K
        assert bank.bme_led is True
        # empty cells leave what is stored
        assert bank.area_served == "Aylestone and Saffron"
        assert bank.kind == Kind.REGISTERED_CHARITY
        assert bank.slug == "aylestone-food-bank"  # the address stays the same
        latest = bank.history.first()
        assert latest.history_type == "~"
        assert latest.history_change_reason == "Imported from changes.csv"
        assert {c.field for c in latest.diff_against(latest.prev_record).changes} == {
            "name",
            "income_band",
            "bme_led",
        }

    def test_a_dry_run_counts_and_writes_nothing(self):
        out, _ = run(DATA / "generic.csv", "--dry-run")
        assert (
            out
            == "Dry run, nothing written: would be 4 created, 0 updated, 0 unchanged, 0 rejected.\n"
        )
        assert not Organisation.objects.exists()
        assert not Organisation.history.exists()

    def test_rows_are_written_in_batches_and_a_bad_row_spoils_no_batch(self, monkeypatch):
        monkeypatch.setattr(importing, "BATCH_SIZE", 2)
        _, err, _ = run_rejecting(DATA / "generic_bad.csv")
        assert len(err.splitlines()) == 12
        assert Organisation.objects.count() == 2


@pytest.mark.django_db
class TestWhenABatchWriteFails:
    def test_the_rows_are_written_one_by_one_and_only_the_bad_one_is_rejected(
        self, monkeypatch, tmp_path
    ):
        # Force a clash the checks cannot see: every new organisation gets the same slug.
        def same_slug(self, creates):
            for create in creates:
                create.fields["slug"] = "same"

        monkeypatch.setattr(importing.Importer, "_assign_slugs", same_slug)
        path = csv_file(
            tmp_path,
            "name,sector,identifier\nFirst Group,vcs,GB-CHC-1000001\n"
            "Second Group,vcs,GB-CHC-1000002\nThird Group,vcs,GB-CHC-1000003\n",
        )
        out, err, _ = run_rejecting(path)
        assert out == "1 created, 0 updated, 0 unchanged, 2 rejected.\n"
        assert err.startswith("line 3: could not be saved: UNIQUE constraint") or err.startswith(
            "line 3: could not be saved: duplicate key"
        )
        assert list(Organisation.objects.values_list("name", flat=True)) == ["First Group"]
        assert list(Identifier.objects.values_list("value", flat=True)) == ["1000001"]
        assert Organisation.history.count() == 1


@pytest.mark.django_db
class TestTheNameSearchAfterAnImport:
    def search(self, client, q):
        response = client.get("/register/", {"q": q})
        return [row.organisation.name for row in response.context["rows"]]

    def test_imported_organisations_are_found_by_name(self, client):
        run(DATA / "generic.csv")
        assert self.search(client, "tenants") == ["Testshire Tenants Together"]

    def test_organisations_added_afterwards_are_found_too(self, client):
        # the import sets the SQLite index's trigger aside while it writes a batch
        run(DATA / "generic.csv")
        organisation_made("Later Lunch Club")
        assert self.search(client, "lunch") == ["Later Lunch Club"]

    def test_a_failed_batch_leaves_the_index_as_it_was(self, client, monkeypatch, tmp_path):
        def same_slug(self, creates):
            for create in creates:
                create.fields["slug"] = "same"

        monkeypatch.setattr(importing.Importer, "_assign_slugs", same_slug)
        run_rejecting(
            csv_file(
                tmp_path,
                "name,sector,identifier\nFirst Group,vcs,GB-CHC-1000001\n"
                "Second Group,vcs,GB-CHC-1000002\n",
            )
        )
        organisation_made("Later Lunch Club")
        assert self.search(client, "group") == ["First Group"]
        assert self.search(client, "lunch") == ["Later Lunch Club"]


@pytest.mark.django_db
class TestCharityCommissionFormat:
    def test_the_extract_is_read_by_its_column_names(self):
        out, err, _ = run_rejecting(
            DATA / "charity_commission.txt", "--format", "charity-commission"
        )
        assert out == (
            "4 created, 0 updated, 0 unchanged, 2 rejected, "
            "1 skipped (removed from the regulator's register).\n"
        )
        assert err.splitlines() == [
            "line 7: registered_charity_number 'ABC' is not a number",
            "line 8: latest_income 'plenty' is not an amount",
        ]
        bank = Organisation.objects.get(identifiers__scheme="GB-CHC", identifiers__value="1234567")
        assert bank.name == "AYLESTONE FOOD BANK"
        assert (bank.sector, bank.kind) == (Sector.VCS, Kind.REGISTERED_CHARITY)
        assert bank.income_band == IncomeBand.FROM_10K
        assert bank.website == "https://www.aylestone.example.org"
        assert bank.public_email == "info@aylestone.example.org"
        assert bank.public_phone == "0116 496 0001"

    def test_a_linked_charity_gets_its_own_identifier(self):
        run_rejecting(DATA / "charity_commission.txt", "--format", "charity-commission")
        appeal = Organisation.objects.get(identifiers__value="1234567-1")
        assert appeal.name == "AYLESTONE FOOD BANK CHRISTMAS APPEAL"

    def test_income_is_banded(self):
        run_rejecting(DATA / "charity_commission.txt", "--format", "charity-commission")
        assert Organisation.objects.get(name="TESTSHIRE HOSPICE").income_band == "over_10m"
        assert Organisation.objects.get(name="TINY TESTSHIRE GARDENERS").income_band == "under_10k"

    def test_a_removed_charity_is_skipped(self):
        run_rejecting(DATA / "charity_commission.txt", "--format", "charity-commission")
        assert not Organisation.objects.filter(name__contains="ALMSHOUSES").exists()

    def test_running_it_again_changes_nothing(self):
        run_rejecting(DATA / "charity_commission.txt", "--format", "charity-commission")
        out, _, _ = run_rejecting(DATA / "charity_commission.txt", "--format", "charity-commission")
        assert out.startswith("0 created, 0 updated, 4 unchanged, 2 rejected")

    def test_an_update_keeps_the_sector_and_kind_the_support_team_chose(self):
        run_rejecting(DATA / "charity_commission.txt", "--format", "charity-commission")
        Organisation.objects.filter(name="TESTSHIRE HOSPICE").update(kind=Kind.INFRASTRUCTURE)
        run_rejecting(DATA / "charity_commission.txt", "--format", "charity-commission")
        assert Organisation.objects.get(name="TESTSHIRE HOSPICE").kind == Kind.INFRASTRUCTURE

    @pytest.mark.parametrize(
        "amount,band",
        [
            ("0", "under_10k"),
            ("9999.99", "under_10k"),
            ("10000", "10k_100k"),
            ("99999", "10k_100k"),
            ("100000.00", "100k_1m"),
            ("1000000", "1m_10m"),
            ("9999999", "1m_10m"),
            ("10000000", "over_10m"),
        ],
    )
    def test_each_band_starts_at_its_lower_bound(self, amount, band):
        from decimal import Decimal

        assert importing.income_band_for(Decimal(amount)) == band


@pytest.mark.parametrize(
    "name",
    [
        "Aylestone Food Bank",
        "Belgrave Women's Forum, Testshire",
        "  St. John's -- Ambulance (Testshire) ",
        "Café Nour",
        "Über_Group 2",
        "__under__",
    ],
)
def test_the_quick_slug_is_django_s_slug(name):
    from django.utils.text import slugify

    assert importing.slug_for(name) == slugify(name)


@pytest.mark.parametrize(
    "url",
    [
        "https://aylestone-food.example.org",
        "http://www.testshire.example.gov.uk/about/us?x=1#top",
        "https://a.b.co",
        "https://-bad.example.org",
        "https://bad-.example.org",
        "https://example",
        "https://ex ample.org",
        "https://xn--caf-dma.example.org/",
        "https://example.org:8080/",
    ],
)
def test_the_quick_web_address_check_accepts_only_what_django_accepts(url):
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    try:
        URLValidator(schemes=["http", "https"])(url)
        django_accepts = True
    except ValidationError:
        django_accepts = False
    if importing._PLAIN_URL.fullmatch(url):
        assert django_accepts

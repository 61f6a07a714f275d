"""The checks every uploaded document goes through (localcompact/core/uploads.py)."""

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from localcompact.core.forms import GovukForm
from localcompact.core.uploads import DocumentField, check_upload, safe_name

PDF = b"%PDF-1.7\n" + b"0" * 100
DOCX = b"PK\x03\x04" + b"0" * 100


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def error_of(uploaded) -> str:
    with pytest.raises(forms.ValidationError) as raised:
        check_upload(uploaded)
    return raised.value.messages[0]


class TestCheckUpload:
    @pytest.mark.parametrize(
        "name, content",
        [
            ("report.pdf", PDF),
            ("Report.PDF", PDF),
            ("plan.docx", DOCX),
            ("figures.csv", "name,amount\nCafé,3\n".encode()),
            ("notes.txt", b"plain words"),
            ("photo.jpg", b"\xff\xd8\xff\xe0" + b"0" * 10),
            ("map.png", b"\x89PNG\r\n\x1a\n" + b"0" * 10),
        ],
    )
    def test_documents_of_the_allowed_kinds_pass(self, name, content):
        check_upload(upload(name, content))

    def test_an_empty_file_is_refused(self):
        assert error_of(upload("a.pdf", b"")) == "The selected file is empty"

    @override_settings(UPLOAD_MAX_BYTES=1024)
    def test_a_file_over_the_limit_is_refused_saying_the_limit(self):
        assert error_of(upload("a.pdf", PDF + b"0" * 1024)) == (
            "The selected file must be smaller than 1.0\xa0KB"
        )

    def test_a_program_is_refused_by_its_extension(self):
        assert error_of(upload("setup.exe", b"MZ\x90")).startswith("The selected file must be a ")

    def test_a_web_page_renamed_pdf_is_refused_by_its_content(self):
        assert error_of(upload("form.pdf", b"<html><script>")) == (
            "The selected file is not a real PDF file"
        )

    def test_a_binary_file_renamed_csv_is_refused(self):
        assert error_of(upload("data.csv", b"ab\x00cd")) == (
            "The selected file is not a CSV text file"
        )

    def test_a_text_file_in_another_encoding_is_refused_saying_how_to_fix_it(self):
        text = "Café, crème, naïve, déjà vu".encode("latin-1") * 3
        assert error_of(upload("data.csv", text)) == (
            "The selected CSV file must be saved as UTF-8 text"
        )


class TestSafeName:
    @pytest.mark.parametrize(
        "given, safe",
        [
            ("../../etc/passwd", "passwd"),
            ("C:\\Users\\me\\plan.pdf", "plan.pdf"),
            ('re"port;<x>.pdf', "reportx.pdf"),
            ("...", "document"),
            ("", "document"),
            ("x." + "y" * 200, "x." + "y" * 98),
            ("a" * 300 + ".pdf", "a" * 96 + ".pdf"),
        ],
    )
    def test_names(self, given, safe):
        assert safe_name(given) == safe

    @given(st.text())
    def test_never_a_path_nor_a_control_character_and_never_long(self, name):
        result = safe_name(name)
        assert result
        assert "/" not in result and "\\" not in result
        assert not any(ord(c) < 32 for c in result)
        assert len(result) <= 100


class DocumentForm(GovukForm):
    document = DocumentField(what="the consultation document")


class TestDocumentField:
    def test_a_missing_file_says_what_to_select(self):
        form = DocumentForm(data={}, files={})
        assert form.errors["document"] == ["Select the consultation document"]

    def test_a_bad_file_shows_the_check_s_message(self):
        form = DocumentForm(data={}, files={"document": upload("a.pdf", b"nope")})
        assert form.errors["document"] == ["The selected file is not a real PDF file"]

    def test_it_renders_as_a_gov_uk_file_upload_with_the_limits_in_the_hint(self):
        html = str(DocumentForm()["document"].as_field_group())
        assert 'class="govuk-file-upload"' in html and 'type="file"' in html
        assert "PDF, Word" in html and "20.0\xa0MB" in html

"""An invalid-JSON bundle is told by line and column, what is there, and what to do.

Before, yajl's reason and an excerpt only (``not a valid FHIR R4 Bundle (invalid JSON: parse
error: premature EOF)``): a user had to find the spot in a 16 MiB file by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medtwin.errors import SourceFormatError
from medtwin.loaders.patient_fhir import read_fhir_bundle
from tests.unit.patient.conftest import FakeGenes

GENES = FakeGenes({"TNF": "7124"})


def _bundle(entries: int) -> str:
    """A pretty-printed bundle of ``entries`` Conditions (9 lines each, after 4 of its own)."""
    conditions = [
        {
            "resource": {
                "resourceType": "Condition",
                "id": f"c{i}",
                "subject": {"reference": "Patient/P1"},
                "code": {"text": "fièvre"},
            }
        }
        for i in range(entries)
    ]
    return json.dumps(
        {"resourceType": "Bundle", "type": "collection", "entry": conditions},
        indent=1,
        ensure_ascii=False,
    )


def _refusal(tmp_path: Path, text: str, name: str = "bundle.json") -> SourceFormatError:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceFormatError) as info:
        read_fhir_bundle(path, GENES, patient_id="P1")
    assert "\n" not in str(info.value)
    return info.value


def _line_of(text: str, needle: str, start: int = 0) -> tuple[int, int]:
    """1-based line and column (characters) of ``needle``'s first occurrence from ``start``."""
    at = text.index(needle, start)
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def test_a_truncated_bundle_names_where_the_file_ends(tmp_path: Path) -> None:
    text = _bundle(40)
    cut = text[: text.index('"id": "c23"') + len('"id": "c2')]
    error = _refusal(tmp_path, cut)
    line, column = cut.count("\n") + 1, len(cut) - cut.rfind("\n")
    assert str(error) == (
        f"{tmp_path}/bundle.json:{line}: not a valid FHIR R4 Bundle: invalid JSON at column "
        f"{column}: found the end of the file (premature EOF); the file ends inside the JSON: it "
        "was cut short (an interrupted download or copy); export or copy the whole bundle again"
    )
    assert error.line == line > 100


def test_a_stray_comma_names_its_line_column_and_the_fix(tmp_path: Path) -> None:
    text = _bundle(40).replace('"id": "c31",', '"id": "c31",,', 1)
    line, column = _line_of(text, ",,")
    error = _refusal(tmp_path, text)
    assert error.line == line
    assert str(error).startswith(
        f"{tmp_path}/bundle.json:{line}: not a valid FHIR R4 Bundle: invalid JSON at column "
        f"{column + 1}: found ',' near "
    )
    assert str(error).endswith(
        "(invalid object key (must be a string)); an object key must be a quoted string, and "
        "JSON allows no comma before '}': remove the comma or quote the key"
    )


def test_a_bad_escape_names_the_backslash_and_how_to_write_one(tmp_path: Path) -> None:
    text = _bundle(40).replace('"fièvre"', '"fi\\èvre C:\\temp"', 1)  # the first Condition
    line, column = _line_of(text, "\\è")
    error = _refusal(tmp_path, text)
    assert error.line == line
    message = str(error)
    assert message.startswith(
        f"{tmp_path}/bundle.json:{line}: not a valid FHIR R4 Bundle: invalid JSON at column "
        f"{column}: found '\\\\è' near '\"code\": {{"
    )
    assert message.endswith(
        "(inside a string, '\\' occurs before a character which it may not.); a backslash in a "
        'string starts an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX): write a literal '
        "backslash as \\\\"
    )


@pytest.mark.parametrize(
    ("bad", "good", "spot", "found", "reason"),
    [
        ('"text": NaN', '"text": "fièvre"', "NaN", "'NaN'", "invalid char in json text."),
        ('"text": "a" "b"', '"text": "fièvre"', '"b"', "'\"b\"'", "after key and value, inside"),
        ("}\n ]\n}\nx", "}\n ]\n}", "\nx", "'x'", "trailing garbage"),
    ],
)
def test_errors_far_into_a_bundle_are_found_across_its_chunks(
    tmp_path: Path, bad: str, good: str, spot: str, found: str, reason: str
) -> None:
    # ~1.4 MB: the parser reads it in 64 KiB chunks; the error is in the last one it read
    text = _bundle(8_000)
    at = text.rindex(good)
    text = text[:at] + bad + text[at + len(good) :]
    line, column = _line_of(text, spot.lstrip("\n"), at)
    error = _refusal(tmp_path, text)
    assert len(text.encode()) > 20 * 65536
    said = f"at column {column}: found {found} "
    assert (error.line, said) == (line, str(error).split("invalid JSON ")[1][: len(said)])
    assert f"({reason}" in str(error)


def test_a_spot_not_found_again_is_named_by_the_lines_around_it(tmp_path: Path) -> None:
    # a NUL ends yajl's excerpt, so it cannot be matched: the lines read so far are named
    text = _bundle(3).replace('"id": "c1"', '"id": "c\x001"', 1)
    error = _refusal(tmp_path, text)
    assert error.line is None
    assert str(error).startswith(
        f"{tmp_path}/bundle.json: not a valid FHIR R4 Bundle: invalid JSON in lines 1-"
        f"{text.count(chr(10)) + 1} (invalid character inside string.) near "
    )
    assert "right here" not in str(error)
    assert str(error).endswith("inside a string: write it as \\t or \\n")


def _opening_past(text: str, depth: int) -> tuple[int, int]:
    """Line and column of the first bracket opened ``depth + 1`` deep, walked character by
    character (the test's own walk, not the reader's)."""
    level, in_string, escaped, line, column = 0, False, False, 1, 0
    for char in text:
        column += 1
        if char == "\n":
            line, column = line + 1, 0
        elif escaped:
            escaped = False
        elif in_string:
            escaped, in_string = char == "\\", char != '"'
        elif char == '"':
            in_string = True
        elif char in "[{":
            if level == depth:
                return line, column
            level += 1
        elif char in "]}":
            level -= 1
    raise AssertionError("not nested that deep")


def _tricky_bundle(entries: int, long_string: int = 0) -> str:
    """Conditions whose texts hold brackets, escaped quotes and backslashes (and, with
    ``long_string``, a text that long: a string across several of the parser's chunks)."""
    text = 'fièvre [{ " \\" {[ \\'  # in the file: fièvre [{ \" \\\" {[ \\
    conditions = [
        {
            "resource": {
                "resourceType": "Condition",
                "id": f"c{i}",
                "subject": {"reference": "Patient/P1"},
                "code": {"text": text * (1 + long_string * (i == 1))},
            }
        }
        for i in range(entries)
    ]
    return json.dumps(
        {"resourceType": "Bundle", "type": "collection", "entry": conditions},
        indent=1,
        ensure_ascii=False,
    )


@pytest.mark.parametrize(
    ("head", "tail"),
    [
        ("", "[" * 5_000),  # a document of nested arrays
        ('{"resourceType": "Bundle", "type": "collection", "entry": [', '{"a": [' * 2_500),
        (_tricky_bundle(3_000)[:-4] + ',\n  {"resource": ', '{"b": [\n  ' * 40),
        (_tricky_bundle(40, long_string=12_000)[:-4] + ',\n  {"x": ', "[[" + "{'y': " * 60),
    ],
    ids=["top level", "in the first chunk", "1 MB in", "after a string across chunks"],
)
def test_a_nesting_too_deep_names_the_line_and_column_of_its_opening(
    tmp_path: Path, head: str, tail: str
) -> None:
    # before: "not a valid FHIR R4 Bundle: JSON nested more than 64 deep (...)", no line/column
    text = (head + tail.replace("'", '"')).replace("\n", "\r\n" if "y" in tail else "\n")
    line, column = _opening_past(text, 64)
    error = _refusal(tmp_path, text)
    assert (error.line, str(error)) == (
        line,
        f"{tmp_path}/bundle.json:{line}: not a valid FHIR R4 Bundle: JSON nested more than 64 "
        f"deep at column {column}: found {text.split(chr(10))[line - 1][column - 1]!r}, level 65 "
        "(a Bundle's resources nest about 10 deep); validate it against R4",
    )


@pytest.mark.parametrize("shift", range(-2, 3))
def test_a_backslash_at_a_chunk_boundary_does_not_mislead_the_search(
    tmp_path: Path, shift: int
) -> None:
    # the parser reads 64 KiB at a time: an escaped quote split across two chunks must not be
    # taken for the string's end (else the brackets after it are counted as the JSON's)
    head = '{"resourceType": "Bundle", "type": "collection", "id": "'
    filler = "a" * (65_536 - len(head) - 1 + shift)
    text = head + filler + '\\"' + "[" * 70 + '", '
    text += '"x": ' + "[" * 80
    line, column = _opening_past(text, 64)
    error = _refusal(tmp_path, text)
    assert (error.line, f"at column {column}: found '['") == (
        line,
        str(error).split("deep ")[1].split(",")[0],
    )


def test_a_number_too_large_at_the_end_of_the_file_is_named(tmp_path: Path) -> None:
    # the fuzz test's find: yajl points past the number at the end of the input; the error's
    # excerpt read beyond the data (IndexError, a traceback) instead of naming the number
    error = _refusal(tmp_path, "9223372036854775808")
    assert "integer overflow" in str(error) or "too large" in str(error)
    assert "9223372036854775808" in str(error)

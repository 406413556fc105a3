"""Import refuses bad records one by one (or all, with --atomic) and hostile files outright."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from registries.civil.models import CivilPerson
from registries.residence import service as residence
from registries.seed.service import seed_population
from registries.transfer.importer import import_file
from schemas.identifiers import PersonId
from tests.registries.transfer.support import Engines, export_all, run_onedoor

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<t:records xmlns:t="urn:onedoor:transfer:1">\n'
TAIL = "</t:records>\n"


def container(lines: list[str]) -> bytes:
    return (HEAD + "\n".join(lines) + "\n" + TAIL).encode()


def records_of(export: bytes) -> list[str]:
    return export.decode().splitlines()[2:-1]


@pytest.fixture
def exports(engines: Engines, tmp_path: Path) -> dict[str, bytes]:
    engine = engines(f"sqlite:///{tmp_path / 'source.db'}")
    seed_population(engine, persons=30, seed=4)
    return export_all(engine, tmp_path / "exports")


def persons_in(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(CivilPerson)) or 0)


def tampered(exports: dict[str, bytes]) -> tuple[list[str], list[str]]:
    """Person records with four broken ones (2, 4, 6, 8); also the secrets they must not echo."""
    lines = [line for line in records_of(exports["civil"]) if "<p:Person" in line][:12]
    lines[1] = re.sub(r"<sex>[MF]</sex>", "<sex>Q</sex>", lines[1])
    pid = re.search(r"<personId>(\d{12})</personId>", lines[3])
    assert pid is not None
    wrong = pid.group(1)[:11] + str((int(pid.group(1)[11]) + 1) % 10)
    lines[3] = lines[3].replace(pid.group(1), wrong)
    birth = re.search(r"<birthDate>(\d{4})-\d\d-(\d\d)</birthDate>", lines[5])
    assert birth is not None
    bad_date = f"{birth.group(1)}-13-{birth.group(2)}"
    lines[5] = lines[5].replace(birth.group(0), f"<birthDate>{bad_date}</birthDate>")
    lines[7] = '<x:Unknown xmlns:x="urn:example:evil"><a>1</a></x:Unknown>'
    return lines, [wrong, bad_date]


def test_bad_records_are_reported_and_the_rest_imported(
    exports: dict[str, bytes], empty_database_url: str, engines: Engines, tmp_path: Path
) -> None:
    lines, secrets = tampered(exports)
    path = tmp_path / "mixed.xml"
    path.write_bytes(container(lines))
    engine = engines(empty_database_url)
    report = import_file(engine, path, batch_size=5)
    assert (report.read, report.imported, report.refused) == (12, 8, 4)
    assert [(e.number, e.path, e.code) for e in report.errors] == [
        (2, "/Person/sex", "schema_invalid"),
        (4, "/Person/personId", "invalid_person_id"),
        (6, "/Person/birthDate", "schema_invalid"),
        (8, "/Unknown", "unknown_record_type"),
    ]
    text = "\n".join(error.line() for error in report.errors)
    assert all(secret not in text for secret in secrets)
    assert "'Q'" not in text
    assert persons_in(engine) == 8


def test_atomic_import_writes_nothing_when_a_record_is_bad(
    exports: dict[str, bytes], empty_database_url: str, engines: Engines, tmp_path: Path
) -> None:
    lines, _ = tampered(exports)
    path = tmp_path / "mixed.xml"
    path.write_bytes(container(lines))
    engine = engines(empty_database_url)
    report = import_file(engine, path, atomic=True, batch_size=2)
    assert (report.imported, report.refused, len(report.errors)) == (0, 4, 4)
    assert report.summary().startswith("imported nothing")
    assert persons_in(engine) == 0
    good = tmp_path / "good.xml"
    good.write_bytes(container([line for n, line in enumerate(lines) if n not in (1, 3, 5, 7)]))
    assert import_file(engine, good, atomic=True).imported == 8
    assert persons_in(engine) == 8


def test_import_command_exit_codes(
    exports: dict[str, bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines, secrets = tampered(exports)
    path = tmp_path / "mixed.xml"
    path.write_bytes(container(lines))
    url = f"sqlite:///{tmp_path / 'target.db'}"
    state = tmp_path / "var"
    code, out, _ = run_onedoor(
        monkeypatch, capsys, url, state, "registries", "import", str(path), "--atomic"
    )
    assert code == 1
    assert "record 4: /Person/personId: " in out
    assert out.strip().endswith("records refused (--atomic)")
    assert all(secret not in out for secret in secrets)
    code, out, _ = run_onedoor(monkeypatch, capsys, url, state, "registries", "import", str(path))
    assert code == 1
    assert out.strip().endswith("imported 8 of 12 records (4 refused)")
    code, out, _ = run_onedoor(monkeypatch, capsys, url, state, "registries", "import", str(path))
    assert code == 1
    assert out.count("[duplicate_record]") == 8
    good = tmp_path / "business.xml"
    good.write_bytes(exports["business"])
    code, out, _ = run_onedoor(monkeypatch, capsys, url, state, "registries", "import", str(good))
    assert (code, out.strip().endswith("(0 refused)")) == (0, True)


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    '<t:records xmlns:t="urn:onedoor:transfer:1">&lol3;</t:records>'
)
XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<t:records xmlns:t="urn:onedoor:transfer:1"><p:Person xmlns:p="urn:onedoor:civil:person:1">'
    "<personId>&xxe;</personId></p:Person></t:records>"
)


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        (XXE.encode(), (), "DTD"),
        (BILLION_LAUGHS.encode(), (), "DTD"),
        (None, ("--max-bytes", "500"), "larger than"),
        (b"<foo><bar/></foo>", (), "not a OneDoor export"),
        (HEAD.encode() + b"<p:Person xmlns:p='urn:onedoor:civil:person:1'>", (), "well-formed"),
        (b"\xff\xfe<\x00t\x00", (), "UTF-8"),
        (b"person_id,name\n1,2\n", ("--format", "csv"), "header"),
        (b"missing", (), "cannot read"),
    ],
    ids=["xxe", "billion-laughs", "oversize", "wrong-root", "malformed", "utf16", "csv-header",
         "missing"],
)  # fmt: skip
def test_hostile_or_unusable_files_are_refused_with_one_line(
    content: bytes | None,
    extra: tuple[str, ...],
    message: str,
    exports: dict[str, bytes],
    tmp_path: Path,
    engines: Engines,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "hostile.xml"
    if content is None:
        path.write_bytes(exports["civil"])
    elif content != b"missing":
        path.write_bytes(content)
    url = f"sqlite:///{tmp_path / 'target.db'}"
    code, out, err = run_onedoor(
        monkeypatch, capsys, url, tmp_path / "var", "registries", "import", str(path),
        "--atomic", *extra,
    )  # fmt: skip
    assert code == 2
    assert err.startswith("error: ")
    assert len(err.strip().splitlines()) == 1
    assert message in err
    assert "Traceback" not in err + out
    assert persons_in(engines(url)) == 0


def test_csv_rows_are_checked_one_by_one(
    exports: dict[str, bytes], engines: Engines, tmp_path: Path
) -> None:
    header, *rows = exports["persons.csv"].decode().splitlines()
    rows[1] = rows[1] + ",extra"
    rows[2] = re.sub(r",(\d{4})-\d\d-(\d\d),", r",\1-02-31,", rows[2], count=1)
    path = tmp_path / "persons.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    engine = engines(f"sqlite:///{tmp_path / 't.db'}")
    report = import_file(engine, path)
    assert [(e.number, e.path, e.code) for e in report.errors] == [
        (2, "/", "csv_malformed"),
        (3, "/Person/birthDate", "schema_invalid"),
    ]
    assert report.imported == len(rows) - 2


def test_household_members_cannot_join_a_second_household(
    exports: dict[str, bytes], engines: Engines, tmp_path: Path
) -> None:
    households = records_of(exports["familybook"])
    copy = re.sub(r"<householdId>HH\d{10}</householdId>", "<householdId>HH9999999999</householdId>",
                  households[0])  # fmt: skip
    path = tmp_path / "households.xml"
    path.write_bytes(container([*households, copy]))
    report = import_file(engines(f"sqlite:///{tmp_path / 't.db'}"), path)
    assert [(e.number, e.code) for e in report.errors] == [
        (len(households) + 1, "inconsistent_record")
    ]


def test_newest_residence_version_is_current_whatever_the_file_order(
    exports: dict[str, bytes], engines: Engines, tmp_path: Path
) -> None:
    lines = records_of(exports["residence"])
    second = next(n for n, line in enumerate(lines) if "<version>2</version>" in line)
    assert "<version>1</version>" in lines[second - 1]
    lines[second - 1], lines[second] = lines[second], lines[second - 1]
    path = tmp_path / "residences.xml"
    path.write_bytes(container(lines))
    engine = engines(f"sqlite:///{tmp_path / 't.db'}")
    assert import_file(engine, path, batch_size=second).refused == 0
    pid = re.search(r"<personId>(\d{12})</personId>", lines[second])
    assert pid is not None
    with Session(bind=engine) as session:
        current = residence.current_residence(session, person_id=PersonId(pid.group(1)))
    assert current["version"] == 2

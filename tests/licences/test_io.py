from __future__ import annotations

import json
from pathlib import Path

import pytest

from stce.licences.io import LicenceFileError, read_licences
from stce.licences.model import LicenceStatus, LicenceType
from stce.licences.units import UnknownUnitError, convert, normalise_unit

HEADER = (
    "number,type,issuing_authority,holder,holder_id,consignee,end_user,end_use,destinations,"
    "valid_from,valid_to,status,tolerance_pct,item_no,control_entry,hs_code,description,"
    "quantity,unit,value,currency\n"
)


def _licence(**over: object) -> dict[str, object]:
    base: dict[str, object] = {
        "number": "AE-2026-0001",
        "type": "individual",
        "issuing_authority": "Export Control Office",
        "holder": "Acme Precision GmbH",
        "destinations": ["JP", "KR"],
        "valid_from": "2026-01-01",
        "valid_to": "2026-12-31",
        "items": [
            {
                "item_no": 1,
                "control_entry": "2B352",
                "hs_code": "841933",
                "quantity": 3,
                "unit": "pcs",
                "value": 250000,
                "currency": "EUR",
            }
        ],
    }
    base.update(over)
    return base


def _jsonl(tmp_path: Path, *records: object) -> Path:
    p = tmp_path / "licences.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return p


def test_csv_groups_item_rows_into_licences(tmp_path: Path) -> None:
    p = tmp_path / "l.csv"
    p.write_text(
        HEADER
        + "DE-1,global,BAFA,Acme GmbH,,Beta Ltd,,research,JP;KR,2026-01-01,2026-12-31,valid,10,1,"
        "1C350,293141,DMMP,100,kg,3500,EUR\n"
        + "DE-1,global,BAFA,Acme GmbH,,Beta Ltd,,research,JP;KR,2026-01-01,2026-12-31,valid,10,2,"
        "2B352,841933,freeze dryer,2,NAR,170000,EUR\n"
        + "DE-2,individual,BAFA,Gamma AG,,,,,IN,2026-02-01,2026-03-01,suspended,0,,,902781,MS,1,"
        "u,,\n",
        encoding="utf-8",
    )
    got = read_licences(p)
    assert [lic.number for lic in got] == ["DE-1", "DE-2"]
    assert got[0].type is LicenceType.GLOBAL and got[0].destinations == ["JP", "KR"]
    assert [(i.item_no, i.control_entry, i.unit) for i in got[0].items] == [
        (1, "1C350", "KGM"),
        (2, "2B352", "NAR"),
    ]
    assert got[0].tolerance_pct == 10
    assert got[1].status is LicenceStatus.SUSPENDED and got[1].items[0].unit == "NAR"


def test_jsonl_reads_licences(tmp_path: Path) -> None:
    got = read_licences(_jsonl(tmp_path, _licence(), _licence(number="AE-2026-0002")))
    assert len(got) == 2 and got[0].items[0].unit == "H87"


@pytest.mark.parametrize(
    ("over", "field", "words"),
    [
        ({"valid_to": "2025-12-31"}, "valid_to", "before valid_from"),
        (
            {"items": [{"item_no": 1, "hs_code": "841933", "quantity": -2, "unit": "NAR"}]},
            "items.0.quantity",
            "greater than or equal to 0",
        ),
        (
            {"items": [{"item_no": 1, "hs_code": "841933", "quantity": 2, "unit": "barrels"}]},
            "items.0.unit",
            "unknown unit",
        ),
        ({"status": "expired"}, "status", "valid"),
        ({"destinations": ["Japan"]}, "destinations.0", "pattern"),
        (
            {"items": [{"item_no": 1, "description": "no code"}]},
            "items.0",
            "control_entry or an hs_code",
        ),
    ],
)
def test_bad_record_names_record_and_field(
    tmp_path: Path, over: dict[str, object], field: str, words: str
) -> None:
    p = _jsonl(tmp_path, _licence(number="GOOD-1"), _licence(number="BAD-7", **over))
    with pytest.raises(LicenceFileError) as exc:
        read_licences(p)
    errs = exc.value.errors
    assert len(errs) == 1
    assert errs[0].record == "line 2 (licence BAD-7)"
    assert errs[0].field == field
    assert words in errs[0].message
    assert "nothing imported" in str(exc.value)


def test_unknown_format_is_rejected(tmp_path: Path) -> None:
    p = tmp_path / "licences.xml"
    p.write_text("<licences/>", encoding="utf-8")
    with pytest.raises(LicenceFileError, match="unknown licence format 'xml'"):
        read_licences(p)


def test_csv_disagreeing_licence_columns_are_an_error(tmp_path: Path) -> None:
    p = tmp_path / "l.csv"
    p.write_text(
        HEADER
        + "DE-1,global,BAFA,Acme GmbH,,,,,JP,2026-01-01,2026-12-31,valid,0,1,,293141,x,1,kg,,\n"
        + "DE-1,global,BAFA,Other GmbH,,,,,JP,2026-01-01,2026-12-31,valid,0,2,,293142,y,1,kg,,\n",
        encoding="utf-8",
    )
    with pytest.raises(LicenceFileError) as exc:
        read_licences(p)
    assert exc.value.errors[0].record == "line 3 (licence DE-1)"
    assert exc.value.errors[0].field == "holder"


def test_csv_unknown_column(tmp_path: Path) -> None:
    p = tmp_path / "l.csv"
    p.write_text(
        "number,type,issuing_authority,holder,valid_from,valid_to,colour\n", encoding="utf-8"
    )
    with pytest.raises(LicenceFileError, match="colour: unknown column"):
        read_licences(p)


def test_units_convert_within_a_dimension_only() -> None:
    assert normalise_unit("kg") == "KGM" and normalise_unit("Tonnes") == "TNE"
    assert convert(2.5, "TNE", "KGM") == 2500.0
    assert convert(500, "g", "kg") == 0.5
    assert convert(3, "pcs", "NAR") == 3
    assert convert(3, "KGM", "LTR") is None
    with pytest.raises(UnknownUnitError):
        normalise_unit("bushel")

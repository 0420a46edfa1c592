"""govkit recognizers inside Presidio: offline, one per entity, validators applied."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from govkit.detect.registry import analyzer_engine, build_registry


@pytest.fixture(scope="module")
def engine() -> Any:
    return analyzer_engine()


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("zh", "身份证11010519491231002X", [("11010519491231002X", "CN_RESIDENT_ID")]),
        ("zh", "编号110105194912310021", []),  # wrong check character, no cue word
        # fail closed: after a cue word the shape is enough (score 0.5, "not validated")
        ("zh", "身份证110105194912310021", [("110105194912310021", "CN_RESIDENT_ID")]),
        ("zh", "电话：138-1234-5678", [("138-1234-5678", "PHONE_NUMBER")]),
        ("zh", "我是张伟", [("张伟", "PERSON")]),
        ("zh", "出生日期：1990-03-07", [("1990-03-07", "DATE_OF_BIRTH")]),
        ("zh", "民族：回族", [("回族", "ETHNICITY")]),
        ("zh", "信仰佛教", [("佛教", "RELIGION")]),
        ("zh", "既往病史：高血压", [("高血压", "HEALTH")]),
        ("zh", "住在北京市朝阳区建国路88号", [("北京市朝阳区建国路88号", "LOCATION")]),
        ("zh", "订单号202401051234567890", []),
        ("en", "ref 4111 1111 1111 1112", []),  # Luhn fails, no cue word
        ("en", "card 4111 1111 1111 1112", [("4111 1111 1111 1112", "CREDIT_CARD")]),
        ("en", "card 4111 1111 1111 1111", [("4111 1111 1111 1111", "CREDIT_CARD")]),
        ("en", "mail wang@example.cn", [("wang@example.cn", "EMAIL_ADDRESS")]),
        ("en", "passport E12345678", [("E12345678", "CN_PASSPORT")]),
        ("en", "passport e12345678", []),  # case matters: Presidio's default would ignore it
        ("en", "permit H1234567890", [("H1234567890", "CN_HK_MACAU_PERMIT")]),
        ("en", "plate 粤B12345", [("粤B12345", "CN_LICENSE_PLATE")]),
        ("en", "from 10.0.0.1", [("10.0.0.1", "IP_ADDRESS")]),
        ("en", "SSN 123-45-6789", [("123-45-6789", "US_SSN")]),
        ("en", "IBAN GB82WEST12345698765432", [("GB82WEST12345698765432", "IBAN_CODE")]),
        ("en", "USCC 91350100M000100Y43", [("91350100M000100Y43", "CN_USCC")]),
    ],
)
def test_recognizers_in_a_presidio_engine(
    engine: Any, language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    results = sorted(engine.analyze(text, language=language), key=lambda r: r.start)
    assert [(text[r.start : r.end], r.entity_type) for r in results] == expected


def test_registry_has_one_recognizer_per_entity_and_language() -> None:
    registry = build_registry()
    names = {(r.name, r.supported_language) for r in registry.recognizers}
    assert len(names) == len(registry.recognizers) == 17 * 2
    entities = {e for r in registry.recognizers for e in r.supported_entities}
    from govkit.entities import ENTITIES

    assert entities == set(ENTITIES)


def test_presidio_predefined_recognizers_can_be_switched_on() -> None:
    registry = build_registry(["en"], presidio_recognizers=["UrlRecognizer"])
    assert "UrlRecognizer" in {r.name for r in registry.recognizers}


def test_classification_yaml_switches_presidio_recognizers_on(tmp_path: Path) -> None:
    (tmp_path / "classification.yaml").write_text(
        "presidio_recognizers: [UrlRecognizer]\n", encoding="utf-8"
    )
    names = {r.name for r in build_registry(["en"], policy_dir=tmp_path).recognizers}
    assert "UrlRecognizer" in names
    default = {r.name for r in build_registry(["en"], policy_dir=tmp_path / "none").recognizers}
    assert "UrlRecognizer" not in default


def test_unknown_presidio_recognizer_is_a_config_error() -> None:
    from govkit.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown 'NoSuchRecognizer'"):
        build_registry(["en"], presidio_recognizers=["NoSuchRecognizer"])


def test_engine_never_touches_the_network_or_loads_spacy_models() -> None:
    code = (
        "import socket, sys\n"
        "def deny(*a, **k):\n    raise RuntimeError('network access attempted')\n"
        "socket.socket.connect = deny\nsocket.create_connection = deny\n"
        "import spacy.cli\nspacy.cli.download = deny\n"
        "from govkit.detect.registry import analyzer_engine\n"
        "e = analyzer_engine()\n"
        "r = e.analyze('mail wang@example.cn, 电话13812345678', language='en')\n"
        "print(sorted(x.entity_type for x in r))\n"
        "print([m for m in sys.modules if m.startswith(('en_core', 'zh_core'))])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.strip().splitlines()
    assert lines[-2:] == ["['EMAIL_ADDRESS', 'PHONE_NUMBER']", "[]"]

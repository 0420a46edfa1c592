"""A Presidio ``RecognizerRegistry`` of govkit's recognizers, and an offline ``AnalyzerEngine``.

Nothing here downloads anything: the NLP engine is Presidio's ``no_op`` engine
(no spaCy model), and the e-mail TLD list fetch of ``tldextract`` is switched
off before Presidio is imported. Presidio's own predefined recognizers can be
added by class name: ``presidio_recognizers=[…]``, or ``policy_dir=`` to take the list
from ``classification.yaml`` there. ``govkit scan`` runs govkit's own vectorised
detectors and does not go through Presidio.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from govkit.errors import ConfigError

LANGUAGES = ("en", "zh")


def offline_environment() -> None:
    """Make Presidio's dependencies stay off the network (idempotent)."""
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")


def build_registry(
    languages: Sequence[str] = LANGUAGES,
    *,
    presidio_recognizers: Sequence[str] = (),
    spacy_model: str | None = None,
    policy_dir: Path | None = None,
) -> Any:
    """Return a ``RecognizerRegistry`` holding every govkit recognizer for each language.

    Args:
        languages: language codes the registry serves.
        presidio_recognizers: class names of Presidio predefined recognizers to add.
        spacy_model: installed spaCy model the person recognizer may use for English.
        policy_dir: also add the ``presidio_recognizers`` listed in its ``classification.yaml``.

    Raises:
        ConfigError: an unknown Presidio recognizer name.
        PolicyError: ``classification.yaml`` is not valid.
    """
    if policy_dir is not None:
        from govkit.classify import load_classification

        listed = load_classification(policy_dir).presidio_recognizers
        presidio_recognizers = [*presidio_recognizers, *listed]
    offline_environment()
    from presidio_analyzer import RecognizerRegistry
    from presidio_analyzer import predefined_recognizers as predefined

    from govkit.detect.recognizers import BUILTIN, PersonRecognizer

    registry = RecognizerRegistry(supported_languages=list(languages))
    for language in languages:
        for cls in BUILTIN:
            if cls is PersonRecognizer:
                registry.add_recognizer(PersonRecognizer(language, spacy_model=spacy_model))
            else:
                registry.add_recognizer(cls(language))
        for name in presidio_recognizers:
            extra = getattr(predefined, name, None)
            if extra is None:
                raise ConfigError(f"classification.yaml: presidio_recognizers: unknown {name!r}")
            registry.add_recognizer(extra(supported_language=language))
    return registry


def analyzer_engine(
    languages: Sequence[str] = LANGUAGES,
    *,
    presidio_recognizers: Sequence[str] = (),
    spacy_model: str | None = None,
    policy_dir: Path | None = None,
) -> Any:
    """Return a Presidio ``AnalyzerEngine`` over govkit's registry that never downloads a model.

    Arguments as for :func:`build_registry`.
    """
    offline_environment()
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    nlp = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "no_op",
            "models": [{"lang_code": lang, "model_name": "no_op"} for lang in languages],
        }
    ).create_engine()
    return AnalyzerEngine(
        registry=build_registry(
            languages,
            presidio_recognizers=presidio_recognizers,
            spacy_model=spacy_model,
            policy_dir=policy_dir,
        ),
        nlp_engine=nlp,
        supported_languages=list(languages),
    )

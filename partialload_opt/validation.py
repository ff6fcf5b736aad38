"""JSON Schema validation of the project's files, with one-line messages naming the field and the rule."""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources

import jsonschema
from jsonschema.exceptions import best_match

from partialload_opt.errors import InputError, field_path


def schema_file(fmt: str) -> str:
    """The shipped schema of format ``NAME/V``: ``schemas/NAME-V.json`` (one file per format)."""
    return fmt.replace("/", "-") + ".json"


@cache
def _validator(fmt: str) -> jsonschema.protocols.Validator:
    text = resources.files("partialload_opt.schemas").joinpath(schema_file(fmt)).read_text("utf-8")
    schema = json.loads(text)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def schema_for(fmt: str) -> dict:
    """The shipped JSON Schema of a file format (e.g. ``partialload-instance/1``)."""
    return _validator(fmt).schema


def _short(value) -> str:
    text = json.dumps(value) if not isinstance(value, float) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _rule(err: jsonschema.ValidationError) -> tuple[str, str]:
    """(field, rule) for a schema error, in plain words."""
    path = list(err.absolute_path)
    v, val = err.validator, err.validator_value
    if v == "required":
        missing = [r for r in val if isinstance(err.instance, dict) and r not in err.instance]
        return field_path(path + missing[:1]), "is missing (required field)"
    if v == "type":
        return field_path(path), f"must be of type {val} (got {_short(err.instance)})"
    if v in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        op = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<=", "exclusiveMaximum": "<"}[v]
        return field_path(path), f"must be {op} {val} (got {_short(err.instance)})"
    if v == "additionalProperties":
        allowed = set(err.schema.get("properties", {}))
        extra = (
            sorted(k for k in err.instance if k not in allowed)
            if isinstance(err.instance, dict)
            else []
        )
        return field_path(path + extra[:1]), "is not a known field"
    if v == "minItems":
        return field_path(path), f"must have at least {val} item(s)"
    if v == "minLength":
        return field_path(path), "must not be empty"
    if v == "const":
        return field_path(path), f"must be {_short(val)} (got {_short(err.instance)})"
    msg = err.message.splitlines()[0]
    return field_path(path), (msg if len(msg) <= 120 else msg[:117] + "...")


def validate_document(doc, fmt: str, source: str) -> None:
    """Check ``doc`` against the schema of ``fmt``; raise InputError on the first (best) error."""
    if not isinstance(doc, dict):
        raise InputError(source, "(document)", "must be a JSON object")
    got = doc.get("format")
    if got != fmt:
        if got is None:
            raise InputError(source, "format", f"is missing (expected '{fmt}')")
        raise InputError(
            source, "format", f"unknown format version {_short(got)} (expected '{fmt}')"
        )
    err = best_match(_validator(fmt).iter_errors(doc))
    if err is not None:
        raise InputError(source, *_rule(err))


def finite(value, source: str, field: str) -> float:
    """``value`` as a finite float, or InputError (NaN, infinities and huge integers are refused)."""
    try:
        x = float(value)
    except (OverflowError, TypeError, ValueError):
        raise InputError(source, field, f"must be a finite number (got {_short(value)})") from None
    if not math.isfinite(x):
        raise InputError(source, field, f"must be a finite number (got {_short(value)})")
    return x

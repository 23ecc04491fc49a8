"""Processors of the dates family: ``date`` and ``date_index_name``."""

from __future__ import annotations

import re
from datetime import tzinfo
from typing import Any

from ..document import IngestDocument
from ..errors import IngestError
from ..fieldpath import FieldPath
from ..javatime import (
    JavaFormatter,
    JavaTimeError,
    Moment,
    PatternError,
    compile_formatter,
    zone_of,
)
from ..javatime.fast import fast_printer
from ..javatime.ingest_formats import DateParser, date_parser
from ..javatime.zones import UTC, is_utc_offset, zone_id
from ..mustache import Template, compile_template
from ..values import java_str
from .base import Config, Factory, Processor

DEFAULT_OUTPUT_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"
DEFAULT_INDEX_DATE_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXX"
_JAVA_CLASS = {
    "illegal_argument_exception": "java.lang.IllegalArgumentException",
    "date_time_exception": "java.time.DateTimeException",
    "zone_rules_exception": "java.time.zone.ZoneRulesException",
    "date_time_parse_exception": "java.time.format.DateTimeParseException",
}
_LANGUAGE_TAG = re.compile(r"(?:[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*)?")
_CACHE: dict[tuple[str, str | None], DateParser] = {}
_CACHE_CAPACITY = 256


def java_error(err: JavaTimeError) -> IngestError:
    """A Java time exception as the ES error object (with its cause chain)."""
    cause = getattr(err, "cause", None)
    return IngestError(
        err.java_type,
        err.message,
        caused_by=java_error(cause) if isinstance(cause, JavaTimeError) else None,
    )


def build_error(cfg: Config, inner: IngestError) -> IngestError:
    """A non-ES exception thrown by a factory: ES wraps it in a plain ``exception``."""
    metadata = {"processor_type": cfg.type}
    if cfg.tag is not None:
        metadata["processor_tag"] = cfg.tag
    java_class = _JAVA_CLASS.get(inner.type, "java.lang.IllegalArgumentException")
    return IngestError(
        "exception", f"{java_class}: {inner.reason}", metadata=metadata, caused_by=inner
    )


def unable_to_parse(value: str | None, first: JavaTimeError | None) -> IngestError:
    cause = java_error(first) if first is not None else None
    return IngestError(
        "illegal_argument_exception", f"unable to parse date [{java_str(value)}]", caused_by=cause
    )


def field_text(doc: IngestDocument, field: str) -> str | None:
    """``getFieldValue(field, Object.class).toString()``, keeping null as null."""
    value = doc.get(field)
    return None if value is None else java_str(value)


def format_moment(formatter: JavaFormatter, moment: Moment) -> str:
    try:
        return formatter.format(moment)
    except JavaTimeError as err:
        raise java_error(err) from None


def check_locale(text: str | None) -> None:
    """ES ``LocaleUtils.parse``: at most language_country_variant (texts stay English)."""
    if text is not None and text.count("_") > 2:
        parts = text.count("_") + 1
        raise PatternError(f"Locales can have at most 3 parts but got {parts}: {text}")


def _template(cfg: Config, key: str, default: str) -> Template:
    template: Template | None = cfg.template(key, None)
    return template if template is not None else compile_template(default)


def _cached_parser(fmt: str, zone_text: str | None) -> DateParser:
    key = (fmt, zone_text)
    parser = _CACHE.get(key)
    if parser is None:
        zone = UTC if zone_text is None else zone_of(zone_text)
        parser = date_parser(fmt, zone)
        if len(_CACHE) >= _CACHE_CAPACITY:
            _CACHE.clear()
        _CACHE[key] = parser
    return parser


class Date(Processor):
    """``date``: parse a field with the first matching format, store it formatted."""

    type = "date"

    def __init__(self, cfg: Config) -> None:
        self.field: str = cfg.string("field")
        self.target: str = cfg.string("target_field", "@timestamp")
        self.timezone: Template | None = cfg.template("timezone", None)
        self.locale: Template | None = cfg.template("locale", None)
        self.formats: list[str] = cfg.string_list("formats")
        output = cfg.string("output_format", DEFAULT_OUTPUT_FORMAT)
        try:
            self.output = compile_formatter(output)
        except JavaTimeError as err:
            inner = IngestError(
                "illegal_argument_exception",
                f"invalid output format [{output}]",
                caused_by=java_error(err),
            )
            raise build_error(cfg, inner) from None
        self._fast_output = fast_printer(output)
        self._path = FieldPath.of(self.field)
        self._target_path = FieldPath.of(self.target)
        self._parsers = self._static_parsers()

    def _static_parsers(self) -> tuple[DateParser, ...] | None:
        """Without timezone or locale templates every run uses the same parsers."""
        if self.timezone is not None or self.locale is not None:
            return None
        try:
            return tuple(_cached_parser(fmt, None) for fmt in self.formats)
        except JavaTimeError:
            return None  # a bad format fails at run time, with ES's error

    def _render(self, template: Template | None, model: dict[str, Any] | None) -> str | None:
        return None if template is None else template.render(model or {})

    def run(self, doc: IngestDocument) -> None:
        if self._parsers is None or self._path is None or self._target_path is None:
            self._run_general(doc)
            return
        raw = self._path.get(doc)
        value = None if raw is None else java_str(raw)
        first: JavaTimeError | None = None
        for parser in self._parsers:
            try:
                moment = parser(value)
                break
            except JavaTimeError as err:
                first = first or err
        else:
            raise unable_to_parse(value, first)
        text = self._fast_output(moment) if self._fast_output is not None else None
        if text is None:
            text = format_moment(self.output, moment)
        self._target_path.set(doc, text)

    def _run_general(self, doc: IngestDocument) -> None:
        value = field_text(doc, self.field)
        dynamic = self.timezone is not None or self.locale is not None
        model = doc.render_context() if dynamic else None
        first: JavaTimeError | None = None
        for fmt in self.formats:
            try:
                check_locale(self._render(self.locale, model))
                moment = _cached_parser(fmt, self._render(self.timezone, model))(value)
                break
            except JavaTimeError as err:
                first = first or err
        else:
            raise unable_to_parse(value, first)
        doc.set(self.target, format_moment(self.output, moment))


class DateIndexName(Processor):
    """``date_index_name``: point ``_index`` at a date-math index name built from a field."""

    type = "date_index_name"

    def __init__(self, cfg: Config) -> None:
        locale = cfg.string("locale", None)
        timezone = cfg.string("timezone", None)
        self.zone = self._zone(cfg, timezone)
        if locale is not None and not _LANGUAGE_TAG.fullmatch(locale):
            inner = IngestError(
                "illegal_argument_exception", f"Invalid language tag specified: {locale}"
            )
            raise build_error(cfg, inner)
        formats = cfg.string_list("date_formats", None) or [DEFAULT_INDEX_DATE_FORMAT]
        self.parsers = [self._parser(cfg, fmt) for fmt in formats]
        self.field: str = cfg.string("field")
        self.prefix: Template = _template(cfg, "index_name_prefix", "")
        self.rounding: Template = cfg.template("date_rounding")
        self.index_format: Template = _template(cfg, "index_name_format", "yyyy-MM-dd")

    @staticmethod
    def _zone(cfg: Config, timezone: str | None) -> tzinfo:
        if timezone is None:
            return UTC
        try:
            return zone_of(timezone)
        except JavaTimeError as err:
            raise build_error(cfg, java_error(err)) from None

    def _parser(self, cfg: Config, fmt: str) -> DateParser:
        try:
            return date_parser(fmt, self.zone)
        except JavaTimeError as err:
            raise build_error(cfg, java_error(err)) from None

    def run(self, doc: IngestDocument) -> None:
        value = field_text(doc, self.field)
        moment: Moment | None = None
        first: JavaTimeError | None = None
        for parser in self.parsers:  # ES does not stop at the first match: the last one wins
            try:
                moment = parser(value)
            except JavaTimeError as err:
                first = first or err
        if moment is None:
            raise unable_to_parse(value, first)
        model = doc.render_context()
        prefix = self.prefix.render(model)
        index_format = self.index_format.render(model)
        rounding = self.rounding.render(model)
        try:
            formatter = compile_formatter(index_format)
        except JavaTimeError as err:
            raise java_error(err) from None
        zone = "UTC" if is_utc_offset(self.zone) else zone_id(self.zone)
        date_text = format_moment(formatter, moment)
        doc.set("_index", f"<{prefix}{{{date_text}||/{rounding}{{{index_format}|{zone}}}}}>")


FACTORIES: dict[str, Factory] = {"date": Date, "date_index_name": DateIndexName}

__all__ = ["FACTORIES"]

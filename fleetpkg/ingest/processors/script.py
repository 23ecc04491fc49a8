"""The ``script`` processor: Painless run against ``ctx``."""

from __future__ import annotations

from ..document import IngestDocument
from ..scripting import compile_script
from .base import Config, Factory, Processor


class ScriptProcessor(Processor):
    type = "script"

    def __init__(self, cfg: Config) -> None:
        spec = {
            key: cfg.take(key)
            for key in ("source", "id", "lang", "params", "options")
            if cfg.has(key)
        }
        if "source" in spec and "id" in spec:
            raise cfg.error(None, "Only one of [id] or [source] may be configured")
        if "source" not in spec and "id" not in spec:
            raise cfg.error(None, "Need [id] or [source] parameter to refer to scripts")
        spec.pop("options", None)
        self.script = compile_script(spec)

    def run(self, doc: IngestDocument) -> None:
        self.script.run(doc)


FACTORIES: dict[str, Factory] = {"script": ScriptProcessor}

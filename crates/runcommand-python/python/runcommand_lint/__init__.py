"""Offline validation of Alibaba Cloud ECS Cloud Assistant ``RunCommand`` requests, in process.

The same engine as the ``runcommand-lint`` command line (a Rust extension): the same findings
for the same text and configuration, as dicts with the fields of the CLI's JSON contract::

    {"path": "request.yaml", "document": 0, "code": "InvalidParam.Frequency",
     "severity": "error", "http_status": 400, "parameter": "Frequency",
     "message": "...", "help": "...",
     "range": {"start": {"line": 5, "column": 12}, "end": {"line": 5, "column": 30}},
     "fix": {...}}            # only when there is a fix

Three functions, each also a method of :class:`Engine` (build one engine and reuse it: the
configuration is read and ShellCheck looked up once)::

    import runcommand_lint

    runcommand_lint.check(text, path="request.yaml")    # a file's content
    runcommand_lint.check_request({"RegionId": "cn-hangzhou", ...})   # the SDK's parameters
    runcommand_lint.check_records(open("trail.jsonl"))  # JSON Lines: requests or audit records

Before sending a request with the SDK::

    findings = runcommand_lint.check_request(request)   # a dict, or a Tea model with to_map()
    errors = [f for f in findings if f["severity"] == "error"]
    if errors:
        raise ValueError(errors[0]["message"])
    client.run_command(request)

The GIL is released while the engine checks, so threads check in parallel.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Mapping
from typing import Any, Union

from . import _native
from ._native import ConfigError

__all__ = [
    "ConfigError",
    "Engine",
    "check",
    "check_records",
    "check_request",
    "__version__",
]

__version__: str = _native.version()

#: A configuration: a path to a ``runcommand-lint.toml`` file, or a mapping of its tables and
#: keys (``{"ignore": ["Lint.TimeoutTooShort"], "severity": {"Lint.NullValue": "error"}}``).
ConfigLike = Union[str, "os.PathLike[str]", Mapping[str, Any], None]

#: Lines fed to the engine at a time by :meth:`Engine.check_records` (the GIL is released for
#: each chunk; memory stays bounded for any number of records).
_CHUNK = 4096


def _to_plain(value: Any) -> Any:
    """JSON-able form of values a request may hold (tuples, sets, SDK models)."""
    to_map = getattr(value, "to_map", None)
    if callable(to_map):
        return to_map()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"a request value of type {type(value).__name__} cannot be checked")


class Engine:
    """The engine, built once and reused: one configuration, one ShellCheck, one clock.

    :param config: ``None`` (no configuration file: every default), a path to a
        ``runcommand-lint.toml``, or a mapping with its content. An invalid configuration raises
        :class:`ConfigError` with its position.
    :param shellcheck: ``None`` (as the CLI: ShellCheck is used when found on ``PATH``, unless
        the configuration's ``[shellcheck]`` table says otherwise), ``False`` (never), ``True``
        (required: :class:`ConfigError` when missing) or the path of the binary.
    :param now: an RFC 3339 time taken as "now" by every check (schedules in the past, cron
        expressions that never fire); ``None`` reads the clock at each check.
    :param select: codes or code prefixes reported only (``--select``).
    :param ignore: codes or code prefixes never reported (``--ignore``).
    :param max_findings: findings shown per file at most (``0`` shows all; ``None``: the CLI's
        default).
    """

    def __init__(
        self,
        config: ConfigLike = None,
        *,
        shellcheck: Union[bool, str, "os.PathLike[str]", None] = None,
        now: str | None = None,
        select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        max_findings: int | None = None,
    ) -> None:
        kwargs: dict[str, Any] = {
            "now": now,
            "select": [str(s) for s in select],
            "ignore": [str(s) for s in ignore],
            "max_findings": max_findings,
        }
        if config is None:
            pass
        elif isinstance(config, Mapping):
            try:
                kwargs["config_json"] = json.dumps(config)
            except (TypeError, ValueError) as e:
                raise ConfigError(f"the configuration mapping cannot be read: {e}") from None
        elif isinstance(config, (str, os.PathLike)):
            kwargs["config_path"] = os.fspath(config)
        else:
            raise ConfigError(
                f"config must be a path, a mapping or None, not {type(config).__name__}"
            )
        if shellcheck is None:
            kwargs["shellcheck"] = "auto"
        elif shellcheck is True:
            kwargs["shellcheck"] = "on"
        elif shellcheck is False:
            kwargs["shellcheck"] = "off"
        elif isinstance(shellcheck, (str, os.PathLike)):
            kwargs["shellcheck"] = "on"
            kwargs["shellcheck_path"] = os.fspath(shellcheck)
        else:
            raise TypeError("shellcheck must be None, True, False or a path")
        self._native = _native.Engine(**kwargs)

    @property
    def shellcheck(self) -> str | None:
        """The ShellCheck binary this engine runs on scripts, or ``None``."""
        return self._native.shellcheck

    def check(self, text: str | bytes, path: str = "request.yaml") -> list[dict[str, Any]]:
        """The findings of a file's content, as ``runcommand-lint check`` gives them for a
        file at ``path``: its extension says YAML (default), JSON (``.json``) or a request log
        (``.jsonl``/``.ndjson``, one request or audit record per line). ``path`` is also the
        ``path`` of every finding and is matched by the configuration's ``per-path-ignores``.
        """
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        return json.loads(self._native.check(data, str(path)))

    def check_request(
        self, request: Mapping[str, Any] | Any, path: str = "request.json"
    ) -> list[dict[str, Any]]:
        """The findings of one request given as its parameters: a mapping as passed to the
        SDK's ``RunCommand`` (nested, ``{"InstanceId": ["i-..."]}``, or flattened as the RPC API
        sends them, ``{"InstanceId.1": "i-..."}``), or an SDK request model (an object with
        ``to_map()``). Positions in the findings refer to the request written as indented JSON
        (``json.dumps(request, indent=2)``).
        """
        if not isinstance(request, Mapping):
            to_map = getattr(request, "to_map", None)
            if not callable(to_map):
                raise TypeError(
                    "check_request takes a mapping of RunCommand parameters or an SDK model"
                )
            request = to_map()
        text = json.dumps(request, indent=2, ensure_ascii=False, default=_to_plain)
        return self.check(text, path=path)

    def check_records(
        self, lines: Iterable[str | bytes | Mapping[str, Any]], path: str = "records.jsonl"
    ) -> list[dict[str, Any]]:
        """The findings of a request log: an iterable of JSON Lines (an open file works), each
        a request or an audit record (ActionTrail's, with ``eventName`` and
        ``requestParameters``: other APIs' records are skipped). A mapping is taken as one line
        (written as JSON). Lines are numbered from 1 in the order given, as the lines of a file
        at ``path``; the cross-request checks (a ``ClientToken`` reused with other parameters,
        a command saved twice under one name) see all of them, the first one wins.
        """
        run = self._native.records(str(path))
        found: list[dict[str, Any]] = []
        chunk: list[bytes] = []
        for line in lines:
            if isinstance(line, Mapping):
                b = json.dumps(line, ensure_ascii=False).encode("utf-8")
            elif isinstance(line, str):
                b = line.encode("utf-8")
            else:
                b = bytes(line)
            chunk.append(b[:-1] if b.endswith(b"\n") else b)
            if len(chunk) == _CHUNK:
                found.extend(json.loads(run.feed(chunk)))
                chunk = []
        if chunk:
            found.extend(json.loads(run.feed(chunk)))
        return found


_default: Engine | None = None
_default_lock = threading.Lock()


def _engine() -> Engine:
    global _default
    with _default_lock:
        if _default is None:
            _default = Engine()
        return _default


def check(text: str | bytes, path: str = "request.yaml") -> list[dict[str, Any]]:
    """:meth:`Engine.check` with the default engine (no configuration file)."""
    return _engine().check(text, path)


def check_request(
    request: Mapping[str, Any] | Any, path: str = "request.json"
) -> list[dict[str, Any]]:
    """:meth:`Engine.check_request` with the default engine (no configuration file)."""
    return _engine().check_request(request, path)


def check_records(
    lines: Iterable[str | bytes | Mapping[str, Any]], path: str = "records.jsonl"
) -> list[dict[str, Any]]:
    """:meth:`Engine.check_records` with the default engine (no configuration file)."""
    return _engine().check_records(lines, path)

"""Type stubs of the extension module (the implementation of :mod:`runcommand_lint`)."""

from typing import final

class ConfigError(ValueError):
    """A configuration that cannot be used: unreadable, invalid, an unknown code, or ShellCheck
    required but not found."""

# (line, index of the finding in its report, code, severity, the finding as compact JSON)
_Row = tuple[int, int, str, str, str]
# (kind, key, value, line, document, start, use line, use column)
_UseRow = tuple[int, int, int, int, int, int, int, int]
# (kind, document, first path, same report, first start, first line, first column)
_ConflictRow = tuple[int, int, str, bool, int, int, int]

@final
class Engine:
    def __init__(
        self,
        *,
        config_path: str | None = None,
        config_json: str | None = None,
        config_toml: tuple[str, str] | None = None,
        shellcheck: str = "auto",
        shellcheck_path: str | None = None,
        now: str | None = None,
        select: list[str] = ...,
        ignore: list[str] = ...,
        max_findings: int | None = None,
        max_file_size: int | None = None,
    ) -> None: ...
    @property
    def shellcheck(self) -> str | None: ...
    def check(self, data: bytes, path: str) -> str: ...
    def records(self, path: str) -> Records: ...
    def check_log_apart(
        self, path: str, data: bytes, named: bool
    ) -> tuple[list[_Row], list[_UseRow]]: ...
    def check_log_with_conflicts(
        self, path: str, data: bytes, conflicts: list[tuple[int, _ConflictRow]]
    ) -> list[_Row]: ...

@final
class Records:
    def feed(self, lines: list[bytes]) -> str: ...

def version() -> str: ...

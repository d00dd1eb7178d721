"""Errors the user caused or can fix; the CLI prints them as one line, never a traceback."""


class TrainerError(Exception):
    """A problem worth one clear line on stderr and a non-zero exit."""


class InputError(TrainerError):
    """A file the user gave us is malformed; the message names the file and position."""

    def __init__(self, path: str, message: str, line: int | None = None, column: int | None = None) -> None:
        where = path
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line
        self.column = column


class DatabaseBusy(TrainerError):
    """Another process holds the database's write lock (a large import): the step may be tried again."""

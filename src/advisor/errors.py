"""Errors that carry a message a person can act on; the CLI and web layer show them without a traceback."""


class AdvisorError(Exception):
    """Base class: the message says what went wrong and what to do."""


class ConfigError(AdvisorError):
    """A setting has a value that cannot work."""


class IndexMissingError(AdvisorError):
    """No built index where one was expected."""


class IndexMismatchError(AdvisorError):
    """The index was built with another model or other chunking settings than configured."""


class IndexCorruptError(AdvisorError):
    """The index files do not match their manifest."""


class BadQuestionError(AdvisorError):
    """The question is empty, too long or not text."""


class UnknownRoleError(AdvisorError):
    """No role document has the title asked for."""

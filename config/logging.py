"""One line per event: ``key=value`` pairs, personal numbers masked, tracebacks folded into the line."""
import logging

from config.request_context import organization_id_var, request_id_var, user_id_var
from config.scrubbing import scrub_text


class RequestContextFilter(logging.Filter):
    """Adds request_id, user_id and organization_id of the current request (``-`` outside one)."""

    def filter(self, record):
        record.request_id = request_id_var.get()
        record.user_id = user_id_var.get()
        record.organization_id = organization_id_var.get()
        return True


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r").replace("\n", "\\n") + '"'


class OneLineFormatter(logging.Formatter):
    def format(self, record):
        message = record.getMessage()
        if record.exc_info:
            message = f"{message}\n{self.formatException(record.exc_info)}"
        if record.stack_info:
            message = f"{message}\n{self.formatStack(record.stack_info)}"
        fields = [
            ("time", self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z")),
            ("level", record.levelname),
            ("logger", record.name),
            ("request_id", getattr(record, "request_id", "-")),
            ("user_id", getattr(record, "user_id", "-")),
            ("org_id", getattr(record, "organization_id", "-")),
        ]
        return " ".join(f"{key}={value}" for key, value in fields) + " msg=" + _quoted(scrub_text(message))

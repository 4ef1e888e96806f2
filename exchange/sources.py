"""The follow-up models the API reads: imported here only, so moving them to another app is one line."""

from followup.models import IsolationEvent, IsolationOrder, ViolationReport, ViolationReportEvent

__all__ = ["IsolationEvent", "IsolationOrder", "ViolationReport", "ViolationReportEvent"]

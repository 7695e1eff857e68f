"""The standing of the whole store against the shapes, as last revalidated."""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass

from service.validation.gate import QualityGate
from service.validation.results import Report


@dataclass
class StoreValidation:
    """Whole-store revalidation: run in the background at start-up when the model changed."""

    state: str = "not-run"  # "not-run", "running", "done", "failed"
    reason: str = "the shapes and files are unchanged since the store was loaded"
    report: Report | None = None
    finished: str | None = None

    def start(self, gate: QualityGate, reason: str) -> threading.Thread:
        """Revalidate in a background thread; the service answers meanwhile."""
        self.state, self.reason = "running", reason
        thread = threading.Thread(target=self._run, args=(gate,), name="revalidate", daemon=True)
        thread.start()
        return thread

    def _run(self, gate: QualityGate) -> None:
        try:
            self.report = gate.validate_store()
            self.state = "done"
        except Exception as exc:  # reported at /validate/report; the service keeps running
            self.state, self.reason = "failed", f"revalidation failed: {exc}"
        self.finished = datetime.datetime.now(datetime.UTC).isoformat()

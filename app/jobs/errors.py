"""How a job says that running it again is pointless."""

from __future__ import annotations

from app.errors import SavoirsError

__all__ = ["PermanentJobError"]


class PermanentJobError(SavoirsError):
    """A failure that running the job again cannot fix (e.g. a mail server refusing a recipient for good): the job
    fails at once instead of being retried (:data:`app.jobs.tasks.RETRY`). Its code and English message are what
    the job's record shows: never personal data."""

    code = "job_failed_for_good"
    message_en = "The job failed in a way that running it again cannot fix."
    message_fr = "La tâche a échoué d'une façon qu'une nouvelle tentative ne corrigerait pas."

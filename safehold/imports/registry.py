"""The kinds of import run, registered by the apps that own them in their `AppConfig.ready()`:
this app runs, stores and shows runs of every kind without importing any of those apps.

    from safehold.imports.registry import ImportKind, UploadPage, register_kind
    register_kind(ImportKind(
        name="incidents", label="Incident log", process=process_upload,
        may_import=can_import_crime_data,
        page=UploadPage(form_class=IncidentUploadForm, template=…, run_template=…,
                        upload_url="crime:incidents-upload", run_url="crime:incidents-upload-run"),
    ))

`process(run, data, **run.params)` is called by a worker with the kept file's bytes (or, with
`pass_path`, its path): it checks the whole file, imports all of it or none, and records the
result on the run (`services.fail_run` for errors, `services.progress_reporter` for progress).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest


def _nothing(*args, **kwargs) -> dict:
    return {}


@dataclass(frozen=True)
class UploadPage:
    """The upload page and the run page of a kind: the shared views render these templates
    (which extend imports/upload.html and imports/run.html, filling in their blocks) with the
    kind's context."""

    form_class: type[forms.Form]
    template: str
    run_template: str
    upload_url: str  # URL names, for redirects, links and the list of recent runs
    run_url: str
    # Extra context of the upload page (may raise PermissionDenied: say who may import where
    # that depends on more than the role, such as leading a programme).
    context: Callable[[HttpRequest], dict] = _nothing
    # What a valid form asks the run to do (keyword arguments of `process`, JSON), and what
    # the run's result starts with (shown on its page while it runs).
    params: Callable[[forms.Form, dict], dict] = _nothing
    details: Callable[[forms.Form], dict] = _nothing
    # Extra context of the run page (request, run).
    run_context: Callable[[HttpRequest, Any], dict] = _nothing
    # A quick check of a small file in the upload request (raise core.csvfiles.ImportInvalid):
    # the page then lists the problems at once and no run is made. The run checks it again.
    precheck: Callable[[bytes, dict], None] | None = None
    form_error_status: int = 400
    recent_runs: int = 10


@dataclass(frozen=True)
class ImportKind:
    """One kind of import: what it is called, who may import it and see its runs, and what a
    worker does with a kept file."""

    name: str  # stored on each run: at most 20 characters, never renamed
    label: str
    process: Callable[..., object]
    may_import: Callable[[Any], bool]
    may_see: Callable[[Any], bool] | None = None  # who may see the runs (default: may_import)
    pass_path: bool = False  # big files (police.uk zips): the kept file's path, not its bytes
    max_stored_errors: int = 1000
    page: UploadPage | None = None

    def can_see(self, user) -> bool:
        return (self.may_see or self.may_import)(user)


_kinds: dict[str, ImportKind] = {}


def register_kind(kind: ImportKind) -> None:
    if len(kind.name) > 20:
        raise ValueError(f"An import kind's name is at most 20 characters: {kind.name}")
    _kinds[kind.name] = kind  # by name: registering twice (tests, reloads) is one


def kind_named(name: str) -> ImportKind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"No import kind “{name}” is registered") from None


def kinds() -> list[ImportKind]:
    return sorted(_kinds.values(), key=lambda k: k.name)

"""Writing a checked historic cases plan, and the upload's import run.

`apply` writes a valid plan (safehold.cases.imports.validate) in one transaction through the
case and people services, so every case is audited like one opened by hand: all of it or, on
any error, none of it. `process_run` is a worker's part of an upload (safehold.imports).
"""

from collections.abc import Callable, Iterable

from django.db import transaction

from safehold import audit
from safehold.accounts.models import User
from safehold.audit.choices import Action
from safehold.cases.choices import (
    OUTCOME_ENFORCEMENT,
    OUTCOME_INTERVENTIONS,
    CaseStatus,
    EnforcementStatus,
)
from safehold.cases.imports.format import (
    GEOGRAPHY_HINT,
    IMPORTED_NOTE,
    CaseRow,
    ImportPlan,
    ImportResult,
    chunks,
)
from safehold.cases.imports.validate import area_authority, validate
from safehold.cases.models import Case, InterventionType, Programme, ReferralSource
from safehold.cases.services import cases as case_services
from safehold.cases.services import casework, enforcement
from safehold.cases.services.references import reserve_reference
from safehold.core.csvfiles import ImportInvalid, RowError
from safehold.geography.models import LocalAuthority, NeighbourhoodArea
from safehold.imports import services as runs
from safehold.imports.models import ImportRun
from safehold.people import services as people_services
from safehold.people.models import Person

ProgressCallback = Callable[[int, int], None]


class _PeopleIndex:
    """The lead agency's people by (given name, family name, date of birth), fetched in chunks of
    family names. Only people with a known date of birth are matched: a name alone is too weak."""

    def __init__(self, agency, rows: Iterable[CaseRow]):
        self.agency = agency
        self.people: dict[tuple, Person] = {}
        families = sorted({r.family_name for r in rows if r.subject_dob})
        for chunk in chunks(families):
            for person in Person.objects.filter(
                owning_agency=agency, family_name__in=chunk, date_of_birth__isnull=False
            ).order_by("created_at"):
                self.people.setdefault(self._key(person), person)

    @staticmethod
    def _key(person: Person) -> tuple:
        return (person.given_name, person.family_name, person.date_of_birth)

    def get_or_create(self, row: CaseRow, by: User | None) -> Person:
        key = (row.given_name, row.family_name, row.subject_dob)
        if row.subject_dob and key in self.people:
            return self.people[key]
        person = people_services.create_person(
            owning_agency=self.agency,
            given_name=row.given_name,
            family_name=row.family_name,
            date_of_birth=row.subject_dob,
            by=by,
        )
        if row.subject_dob:
            self.people[key] = person
        return person


class _Writer:
    """Writes one row through the services, with the lookups every row shares held in memory."""

    def __init__(self, *, programme: Programme, rows: list[CaseRow], by: User | None):
        self.programme, self.agency, self.by = programme, programme.lead_agency, by
        self.sources = {s.name.casefold(): s for s in ReferralSource.objects.all()}
        self.areas = {a.name.casefold(): a for a in NeighbourhoodArea.objects.all()}
        self.authority: LocalAuthority | None = None
        self.types = InterventionType.objects.in_bulk()
        self.people = _PeopleIndex(self.agency, rows)

    def source(self, row: CaseRow) -> ReferralSource | None:
        if not row.referral_source:
            return None
        key = row.referral_source.casefold()
        if key not in self.sources:
            self.sources[key] = ReferralSource.objects.create(name=row.referral_source)
        return self.sources[key]

    def area(self, row: CaseRow) -> NeighbourhoodArea | None:
        if not row.area:
            return None
        key = row.area.casefold()
        if key not in self.areas:
            self.authority = self.authority or area_authority()
            if self.authority is None:  # validate() checked; the geography has gone since
                raise ImportInvalid([RowError(row.row, "area", GEOGRAPHY_HINT)])
            self.areas[key] = NeighbourhoodArea.objects.create(
                name=row.area, local_authority=self.authority
            )
        return self.areas[key]

    def write(self, row: CaseRow) -> Case:
        by, agency = self.by, self.agency
        location = None
        if row.address or row.postcode:
            location = people_services.create_location(
                owning_agency=agency, by=by, address_line_1=row.address, postcode=row.postcode
            )
        case = case_services.open_case(
            programme=self.programme,
            reference=row.reference,
            referral_date=row.referral_date,
            referral_source=self.source(row),
            subject=self.people.get_or_create(row, by),
            location=location,
            area=self.area(row),
            exploitation_type=row.exploitation_type,
            by=by,
        )
        # Outcomes before closure: a closed case is read-only.
        for measure in row.outcome_measures:
            if measure in OUTCOME_INTERVENTIONS:
                casework.add_intervention(
                    case=case,
                    by=by,
                    type=self.types[OUTCOME_INTERVENTIONS[measure][0]],
                    agency=agency,
                    started_on=row.referral_date,
                    notes=IMPORTED_NOTE,
                )
            else:
                enforcement.add_enforcement(
                    case=case,
                    by=by,
                    kind=OUTCOME_ENFORCEMENT[measure][0],
                    status=EnforcementStatus.IN_FORCE,
                    agency=agency,
                    started_on=row.referral_date,
                    notes=IMPORTED_NOTE,
                )
        if row.status == CaseStatus.CLOSED:
            case_services.close_case(
                case=case,
                by=by,
                reason=row.closure_reason,
                closed_on=row.closed_date,
                tenancy_sustained=row.tenancy_sustained,
                notes=IMPORTED_NOTE,
            )
        return case


def _highest_references(rows: Iterable[CaseRow]) -> list[str]:
    """The highest reference of each prefix and year, to reserve once each."""
    highest: dict[tuple[str, str], tuple[int, str]] = {}
    for row in rows:
        prefix, year, number = row.reference.rsplit("-", 2)
        if int(number) > highest.get((prefix, year), (-1, ""))[0]:
            highest[(prefix, year)] = (int(number), row.reference)
    return [reference for _, reference in highest.values()]


def apply(
    *, plan: ImportPlan, by: User | None, progress: ProgressCallback | None = None
) -> ImportResult:
    """Write a valid plan in one transaction: all of it, or (on any error) none of it."""
    if plan.errors:
        raise ImportInvalid(plan.errors)
    new_rows = [r for r in plan.rows if r.reference not in plan.unchanged]
    with transaction.atomic():
        # Someone may have added one of these references since the file was checked.
        taken = set()
        for chunk in chunks([r.reference for r in new_rows]):
            taken |= set(
                Case.objects.filter(programme=plan.programme, reference__in=chunk).values_list(
                    "reference", flat=True
                )
            )
        if taken:
            raise ImportInvalid(
                [
                    RowError(
                        r.row,
                        "reference",
                        f"{r.reference} was added to Safehold while the file was being "
                        "checked: import the file again",
                    )
                    for r in new_rows
                    if r.reference in taken
                ]
            )
        writer = _Writer(programme=plan.programme, rows=new_rows, by=by)
        # One append of all the import's audit events at the end, so the chain head is not
        # locked (and other users' requests not held up) for the length of the import.
        with audit.batched():
            for done, row in enumerate(plan.rows, start=1):
                if row.reference not in plan.unchanged:
                    writer.write(row)
                if progress:
                    progress(done, plan.total)
            # Numbers handed out later follow the highest imported reference of each year.
            for reference in _highest_references(new_rows):
                reserve_reference(programme=plan.programme, reference=reference)
            result = ImportResult(created=len(new_rows), unchanged=len(plan.unchanged))
            audit.record(
                action=Action.COLLECT,
                actor=by,
                object_type="cases.case",
                purpose=f"historic cases imported into {plan.programme.name}"
                f"{f' from {plan.file_name}' if plan.file_name else ''}: "
                f"{result.created} new, {result.unchanged} unchanged",
            )
    return result


def import_cases(
    *,
    data: bytes | str,
    programme: Programme,
    by: User | None,
    file_name: str = "",
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Validate, then apply; raises ImportInvalid (and writes nothing) if the file has errors."""
    plan = validate(data=data, programme=programme, file_name=file_name)
    return apply(plan=plan, by=by, progress=progress)


# --- Import runs (the upload page; the mechanism is safehold.imports) ---------------------

KIND = "cases"  # the kind of import run, registered in CasesConfig.ready()


def process_run(run: ImportRun, data: bytes, *, programme: str) -> None:
    """A worker's part of an upload: check the kept file, then import all of it or, on any
    error, none; the result (or every error by row and column) is recorded on the run."""
    plan = validate(
        data=data,
        programme=Programme.objects.select_related("lead_agency", "asb_team").get(pk=programme),
        file_name=run.file_name,
    )
    run.total_rows = plan.rows_in_file
    if plan.errors:
        runs.fail_run(run, plan.errors)
        return
    run.status = ImportRun.Status.IMPORTING
    run.save(update_fields=["status", "total_rows", "modified_at"])
    try:
        # The run says "done" in the cases' own transaction: a worker killed just after the
        # commit leaves no run to import again, reporting every case as unchanged (ADR 0063).
        with transaction.atomic():
            result = apply(plan=plan, by=run.uploaded_by, progress=runs.progress_reporter(run))
            run.status = ImportRun.Status.DONE
            run.processed_rows = plan.total
            run.created_cases, run.unchanged_cases = result.created, result.unchanged
            run.save()
    except ImportInvalid as exc:
        runs.fail_run(run, exc.errors)

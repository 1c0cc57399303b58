"""A series of partnership meetings, its meetings, their agenda items (a flagged case is an
item), minutes per item and the actions raised, which carry over until done."""

from django.conf import settings
from django.db import models

from safehold.core.models import BaseModel
from safehold.meetings.choices import MeetingStatus
from safehold.sharing.choices import DisclosureLevel


class MeetingSeries(BaseModel):
    """A standing meeting ("Wigan organised crime partnership meeting"), chaired by one agency
    and run under one information sharing agreement (what flagged cases are shared under)."""

    name = models.CharField(max_length=200, unique=True)
    owning_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", help_text="Chairs it"
    )
    agreement = models.ForeignKey(
        "sharing.InformationSharingAgreement", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "meeting series"

    def __str__(self) -> str:
        return self.name


class Meeting(BaseModel):
    """One meeting of a series: who chaired and attended, apologies, open until its record is
    closed (closing ends the shares its flagged cases made, unless renewed)."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField()
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attending_agencies = models.ManyToManyField("accounts.Agency", related_name="+")
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    apologies = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["series__name", "-held_on"]
        constraints = [
            models.UniqueConstraint(fields=["series", "held_on"], name="one_meeting_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.series.name}, {self.held_on:%-d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.status == MeetingStatus.OPEN


class AgendaItem(BaseModel):
    """An item of a meeting's own agenda: a topic, or a case its owning agency flagged for the
    meeting (disclosed to the attending agencies at the level it chose)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    level = models.CharField(max_length=20, choices=DisclosureLevel.choices, blank=True)
    keep_sharing = models.BooleanField(
        default=False, help_text="Renewed: the shares stay when the meeting's record closes"
    )
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    disclosures = models.ManyToManyField("sharing.Disclosure", blank=True, related_name="+")

    class Meta:
        ordering = ["order", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "case"],
                condition=models.Q(case__isnull=False),
                name="a_case_once_on_an_agenda",
            )
        ]

    def __str__(self) -> str:
        return self.title or "Case flagged for the meeting"


class Minute(BaseModel):
    """The minutes of one item: circulated only to users of the attending agencies (and of a
    flagged case's item, only to those who may see the case)."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="minute")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Minutes of {self.item}"


class Action(BaseModel):
    """Something a user or an agency agreed to do at a meeting, by a date: on every later
    agenda of the series until done."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "created_at"]

    def __str__(self) -> str:
        return f"Action due {self.due_on:%-d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.done_on is None

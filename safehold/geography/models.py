"""Official geography (local authorities, wards, LSOAs) and the partnership's own neighbourhoods."""

from django.db import models


class LocalAuthority(models.Model):
    """A local authority district, keyed by its ONS code (e.g. E08000007 Stockport)."""

    code = models.CharField(max_length=9, primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    """An electoral ward (2022 boundaries), keyed by its ONS code."""

    code = models.CharField(max_length=9, primary_key=True)
    name = models.CharField(max_length=100)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="wards"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Lsoa(models.Model):
    """A 2021 Lower Layer Super Output Area with its best-fit ward and Census 2021 population."""

    code = models.CharField(max_length=9, primary_key=True)
    name = models.CharField(max_length=100)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="lsoas")
    population = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "LSOA"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class NeighbourhoodArea(models.Model):
    """A neighbourhood the partnership reports by (e.g. Brinnington, Mottram Street Estate);
    not always an official ward, so it may name the wards it mostly lies in."""

    name = models.CharField(max_length=100, unique=True)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="neighbourhoods"
    )
    wards = models.ManyToManyField(Ward, blank=True, related_name="neighbourhoods")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PostcodePoint(models.Model):
    """Where a postcode is, from a file an administrator loaded (OS Code-Point Open, the ONS
    Postcode Directory, a postcodes.io extract): its point in British National Grid metres and
    in WGS84 degrees. Not personal data. The SK postcodes shipped with Safehold are read from
    their file (safehold/geography/postcodes.py); a loaded postcode wins over a shipped one."""

    postcode = models.CharField(max_length=8, primary_key=True)
    easting = models.FloatField()
    northing = models.FloatField()
    latitude = models.FloatField()
    longitude = models.FloatField()
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["postcode"]

    def __str__(self) -> str:
        return self.postcode

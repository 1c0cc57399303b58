import datetime

import factory

from safehold.performance.choices import Area, Frequency, Polarity, Unit
from safehold.performance.models import Indicator, IndicatorValue, Theme


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Theme {n}")
    position = factory.Sequence(lambda n: n)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"KPI-{n:04d}")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    theme = factory.SubFactory(ThemeFactory)
    source = "GMP"
    unit = Unit.COUNT
    polarity = Polarity.LOWER_BETTER
    frequency = Frequency.ANNUAL
    decimal_places = 0
    position = factory.Sequence(lambda n: n)


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    area = Area.BOROUGH
    period = "2016/17"
    period_start = datetime.date(2016, 4, 1)
    value = 100

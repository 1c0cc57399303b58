"""One way to get "today": the date in UK time (settings.TIME_ZONE, Europe/London).

`datetime.date.today()` reads the clock in the process's zone (Django sets it from TIME_ZONE,
but only in a process that has loaded the settings) and `timezone.localdate()` in whatever
zone is active; both agree with this today, but a deadline counted, a date refused as "in the
future" and a date shown on a page must agree whatever the server's zone, so application code
asks here.
"""

import datetime

from django.utils import timezone


def today() -> datetime.date:
    """Today's date in UK time."""
    return timezone.localdate(timezone=timezone.get_default_timezone())

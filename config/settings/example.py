"""The test settings with the example module installed (safehold/example: a worked example of
docs/how-to/add-a-module.md, not part of the product). `make test-example` runs its tests and
the shared access, audit and leak tests under these settings, so the example is held to the
same checks as every real module."""

from config.settings.test import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "safehold.example"]  # noqa: F405
ROOT_URLCONF = "config.example_urls"

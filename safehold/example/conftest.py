"""The example module's tests run only where it is installed (`config.settings.example`, run by
`make test-example` and CI); the product's own test run leaves them out."""

from django.conf import settings

if "safehold.example" not in settings.INSTALLED_APPS:
    collect_ignore_glob = ["*"]

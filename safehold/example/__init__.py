"""A worked example of a Safehold module: welfare visits to the subject of a case.

It follows docs/how-to/add-a-module.md step by step and is small on purpose: copy its shape, not
its subject. It is not part of the product: it is installed only by the settings
`config.settings.example`, under which CI runs its own tests and the shared access, audit and
leak tests with its pages included (`make test-example`).
"""

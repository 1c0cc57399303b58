"""Enforcement paperwork: the application bundle of a closure notice or order (Anti-social
Behaviour, Crime and Policing Act 2014 ss.76 to 82) or a civil injunction (Part 1) as one PDF.

The bundle is built on demand from what Safehold holds (never cached): a cover sheet, an index
whose page numbers WeasyPrint works out (target-counter), the premises and the people through
their read gates, a chronology merged from every registered source (`sources.py`), a map of the
premises and the incidents near it, a Scott schedule for an injunction and the uploaded
documents appended as pages. Every build is audited as an export naming its recipients.
It holds no tables of its own (ADR 0044).
"""

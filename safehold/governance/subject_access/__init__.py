"""Subject access export: everything Safehold holds about a person, as one zip.

- `selectors`: what is held about the person, read through the gates, as one plain dict;
- `records`: how each record is written in that dict (other people never named);
- `formats`: the JSON, the PDF report rendered from the same dict, and the zip;
- `services`: answering a request (the export, its audit event, the request answered).
"""

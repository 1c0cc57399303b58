from safehold.imports.forms import UploadForm


class PostcodeUploadForm(UploadForm):
    """A file of postcode points: a CSV, or a zip of them (OS Code-Point Open as published)."""

    extensions = (".csv", ".zip")
    accept = ".csv,.zip,text/csv,application/zip"
    file_noun = "a CSV or zip file"
    type_noun = "a CSV or a zip file"
    max_mb = 200
    help_text = "OS Code-Point Open (one area's CSV or the whole zip), or a CSV with a postcode column and latitude and longitude or eastings and northings."
    label = "Upload a file of postcodes"

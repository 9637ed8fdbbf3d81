"""The roster upload form."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class UploadForm(FlaskForm):
    """A zip of OneRoster 1.1 CSV files."""

    archive = FileField(
        "OneRoster zip",
        validators=[
            FileRequired("Choose a zip file to upload."),
            FileAllowed(["zip"], "Upload a .zip of the OneRoster CSV files."),
            FileSize(MAX_UPLOAD_BYTES, message="The zip may be at most 50 MB."),
        ],
    )

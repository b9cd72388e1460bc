"""A worker that is slow at exactly the moment the kill tests want to stop it: just before a
report's PDF is drawn, and after the first table is in an export's zip file. The rest is the
real `alongside worker`."""

import time
import zipfile

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from alongside.reports import writing  # noqa: E402


def slow_pdf(html):
    time.sleep(120)
    raise AssertionError("the test should have stopped this worker")


_write = zipfile.ZipFile.write


def slow_write(self, *args, **kwargs):
    _write(self, *args, **kwargs)
    self.fp.flush()
    time.sleep(120)


writing.render_pdf = slow_pdf
zipfile.ZipFile.write = slow_write
call_command("worker", interval=0.2, worker_id="slow-worker")

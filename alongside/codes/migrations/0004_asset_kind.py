from django.db import migrations


def load(apps, schema_editor):
    # Code lists version 2026.3 add the ABCD asset kinds and the "asset" connection kind;
    # the loader upserts, so existing databases gain them and nothing else changes.
    from alongside.codes.loader import load_codelists

    load_codelists(apps.get_model("codes", "Code"))


class Migration(migrations.Migration):
    dependencies = [("codes", "0003_welsh_labels")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

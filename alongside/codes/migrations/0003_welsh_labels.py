from django.db import migrations


def load(apps, schema_editor):
    # Code lists version 2026.2 gives every code a Welsh label; reload so existing
    # databases get them (the loader upserts, so running it again changes only labels).
    from alongside.codes.loader import load_codelists

    load_codelists(apps.get_model("codes", "Code"))


class Migration(migrations.Migration):
    dependencies = [("codes", "0002_load_codelists")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

from django.db import migrations


def load(apps, schema_editor):
    from alongside.codes.loader import load_codelists

    load_codelists(apps.get_model("codes", "Code"))


class Migration(migrations.Migration):
    dependencies = [("codes", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

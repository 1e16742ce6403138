from django.db import migrations


def refold(apps, schema_editor):
    from portal.lib.text import fold

    Person = apps.get_model("stakeholders", "Person")
    for person in Person.objects.only("pk", "full_name", "position").iterator():
        Person.objects.filter(pk=person.pk).update(search_text=fold(person.full_name, person.position))


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0003_accounts")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]

from django.db import migrations

# The defaults of the time the rules came in; later changes of the setting apply to new
# series only.
DEFAULT_DAYS = (7, 1)


def add_default_rules(apps, schema_editor):
    MeetingSeries = apps.get_model("meetings", "MeetingSeries")
    ReminderRule = apps.get_model("meetings", "ReminderRule")
    ReminderRule.objects.bulk_create(
        ReminderRule(series_id=series_id, offset_minutes=days * 24 * 60, audience="not_declined")
        for series_id in MeetingSeries.objects.values_list("pk", flat=True)
        for days in DEFAULT_DAYS
    )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0007_reminders")]

    operations = [migrations.RunPython(add_default_rules, migrations.RunPython.noop)]

import datetime

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0005_summary_rows"),
    ]

    operations = [
        # Rows built before the day was kept count as built long ago: the next reader
        # rebuilds them.
        migrations.AddField(
            model_name="summarystate",
            name="built_on",
            field=models.DateField(default=datetime.date(2000, 1, 1)),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="summaryactivity",
            name="id",
            field=models.BigIntegerField(primary_key=True, serialize=False),
        ),
        migrations.AlterField(
            model_name="summaryplace",
            name="activity_id",
            field=models.BigIntegerField(db_index=True),
        ),
        migrations.AlterField(
            model_name="summaryitem",
            name="id",
            field=models.BigIntegerField(primary_key=True, serialize=False),
        ),
        migrations.AlterField(
            model_name="summarytrend",
            name="id",
            field=models.BigIntegerField(primary_key=True, serialize=False),
        ),
    ]

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("stakeholders", "0006_login_sessions"),
    ]

    operations = [
        migrations.RenameModel("AccountInvitation", "AccountLink"),
        migrations.RenameField("AccountLink", "used_at", "last_used_at"),
    ]

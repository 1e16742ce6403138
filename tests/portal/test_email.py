import io

from django.core.mail import EmailMessage

from portal.lib.console_email import EmailBackend


def test_the_development_console_prints_links_whole():
    link = "http://127.0.0.1:8000/accounts/reset/MQ/" + "x" * 90 + "/"
    stream = io.StringIO()

    EmailBackend(stream=stream).send_messages(
        [EmailMessage("Reset", f"Choose a new password here:\n{link}\n", to=["a@example.org"])]
    )

    assert link in stream.getvalue()
    assert "Subject: Reset" in stream.getvalue()

"""A development email backend that prints emails readably.

Django's console backend prints the MIME source, where long lines are
quoted-printable and a link is cut by soft line breaks; this one prints the
decoded text, so a link can be copied from the terminal.
"""

from typing import Any

from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend


class EmailBackend(DjangoConsoleBackend):
    def write_message(self, message: Any) -> None:
        self.stream.write(
            f"From: {message.from_email}\nTo: {', '.join(message.to)}\n"
            f"Subject: {message.subject}\n\n{message.body}\n{'-' * 79}\n"
        )

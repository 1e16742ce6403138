"""The directory's import kinds: organisations and people, the secretariat's to import."""

from django.utils.translation import gettext_lazy

from stakeholders import permissions
from stakeholders.imports.apply import write_organisations, write_people
from stakeholders.imports.columns import COLUMN_HELP, COLUMNS, EXAMPLES, REQUIRED_COLUMNS, Kind
from stakeholders.imports.kinds import ImportKind, register
from stakeholders.imports.preview import check_organisations, check_people

register(
    ImportKind(
        kind=Kind.ORGANISATIONS,
        title=gettext_lazy("Import organisations"),
        list_title=gettext_lazy("Organisations"),
        list_url_name="stakeholders:organisation_list",
        done_label=gettext_lazy("Go to the organisations"),
        key_label=gettext_lazy("Name"),
        columns=COLUMNS[Kind.ORGANISATIONS],
        required=REQUIRED_COLUMNS[Kind.ORGANISATIONS],
        help=COLUMN_HELP[Kind.ORGANISATIONS],
        example=EXAMPLES[Kind.ORGANISATIONS],
        may_import=permissions.can_manage_directory,
        check=check_organisations,
        write=write_organisations,
        notes=(
            gettext_lazy(
                "Columns the portal does not know are ignored. A column left out of the file "
                "leaves that detail of existing records as it is."
            ),
        ),
    )
)
register(
    ImportKind(
        kind=Kind.PEOPLE,
        title=gettext_lazy("Import people"),
        list_title=gettext_lazy("People"),
        list_url_name="stakeholders:person_list",
        done_label=gettext_lazy("Go to the people"),
        key_label=gettext_lazy("Person"),
        columns=COLUMNS[Kind.PEOPLE],
        required=REQUIRED_COLUMNS[Kind.PEOPLE],
        help=COLUMN_HELP[Kind.PEOPLE],
        example=EXAMPLES[Kind.PEOPLE],
        may_import=permissions.can_manage_directory,
        check=check_people,
        write=write_people,
        notes=(
            gettext_lazy(
                "Columns the portal does not know are ignored. A column left out of the file "
                "leaves that detail of existing records as it is."
            ),
        ),
    )
)

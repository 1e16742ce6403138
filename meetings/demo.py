"""The meetings' part of the demo story: the coordination meetings the seed article tells of.

The series began in February 2022; the Fourth meeting, on 24 October 2023 in Tashkent,
brought twelve organisations together. The article gives neither the dates of the Second
and Third meetings nor times, venue or chair: those here are plausible choices. A Fifth
meeting is planned 30 days after the demo is first loaded, so that a new user finds both
a past and an upcoming meeting, with some answers still pending.
"""

import io
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from meetings.models import (
    ActionItem,
    ActionItemStatus,
    ActionItemUpdate,
    AgendaItem,
    AgendaItemKind,
    Attendance,
    Cadence,
    Decision,
    Document,
    DocumentKind,
    FrameworkKind,
    FrameworkReference,
    Invitation,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Minutes,
    MinutesRevision,
    MinutesState,
    Modality,
    OrganisationInvitation,
    OrganisationInvitationState,
    Response,
    Statement,
)
from meetings.services.reminders import default_rules
from portal.lib import uploads
from portal.lib.demo import ensure
from portal.lib.sensitivity import Label
from portal.lib.uploads import check_upload
from portal.models import DemoRecord
from stakeholders.models import MechanismRole, Organisation, Person

TASHKENT = ZoneInfo("Asia/Tashkent")
VENUE = "UN House, 4 Taras Shevchenko Street, Tashkent"
SERIES_TITLE = "Multi-stakeholder coordination meetings on combating trafficking in persons"
SERIES_TITLE_RU = "Многосторонние координационные встречи по противодействию торговле людьми"
SERIES_TITLE_UZ = (
    "Odam savdosiga qarshi kurashish boʻyicha koʻp tomonlama muvofiqlashtirish uchrashuvlari"
)
# The twelve organisations of the Fourth meeting, by their demo keys.
INVITED = [
    "national-commission",
    "sub-commission",
    "supreme-court",
    "supreme-judicial-council",
    "mia",
    "mfa",
    "us-embassy",
    "inl",
    "iom",
    "winrock",
    "istiqbolli-avlod",
    "unodc",
]
ORDINALS = {
    1: ("First", "Первая", "Birinchi"),
    2: ("Second", "Вторая", "Ikkinchi"),
    3: ("Third", "Третья", "Uchinchi"),
    4: ("Fourth", "Четвёртая", "Toʻrtinchi"),
    5: ("Fifth", "Пятая", "Beshinchi"),
}
# (number, local start, hours) of the meetings held.
HELD = [
    (1, datetime(2022, 2, 16, 10, 0), 2.5),
    (2, datetime(2022, 9, 14, 10, 0), 2.5),
    (3, datetime(2023, 4, 12, 10, 0), 2.5),
    (4, datetime(2023, 10, 24, 10, 0), 3),
]
# Who of the twelve stayed away from the earlier meetings.
ABSENT = {1: {"supreme-judicial-council", "winrock"}, 2: {"us-embassy"}, 3: {"mfa"}}

FOURTH_AGENDA: list[tuple[str, str, AgendaItemKind, int, str | None, str | None]] = [
    # (title, description, kind, minutes, presenting organisation, presenter's demo key)
    ("Opening and welcome", "", AgendaItemKind.OTHER, 10, "unodc", "salikhov"),
    (
        "Review of the state of trafficking in persons in Uzbekistan",
        "Identification and investigation of cases as the cornerstone of the response.",
        AgendaItemKind.REVIEW,
        30,
        "mia",
        "boboev",
    ),
    (
        "Ongoing activities of the partners",
        "Round of updates from the participating organisations.",
        AgendaItemKind.UPDATE,
        30,
        None,
        None,
    ),
    (
        "Upcoming activities",
        "Training of Trainers seminar on trafficking in persons (6 to 8 November); trainings "
        "for airport employees in Bukhara, Fergana and Namangan (November); study visit of "
        "the delegation of the Republic of Estonia.",
        AgendaItemKind.UPDATE,
        30,
        "unodc",
        "salikhov",
    ),
    (
        "Emerging trends in trafficking in persons",
        "Recruitment through technology and social media; routes from Uzbekistan to third "
        "countries such as India, Turkey and Thailand; exploitation of migrants.",
        AgendaItemKind.DISCUSSION,
        45,
        None,
        None,
    ),
    (
        "Improving cooperation among stakeholders",
        "",
        AgendaItemKind.DISCUSSION,
        25,
        None,
        None,
    ),
    ("Closing remarks", "", AgendaItemKind.OTHER, 10, "inl", "rettenmayer"),
]
EARLIER_AGENDA: list[tuple[str, AgendaItemKind, int]] = [
    ("Opening and welcome", AgendaItemKind.OTHER, 10),
    ("Review of the state of trafficking in persons", AgendaItemKind.REVIEW, 40),
    ("Updates from the participating organisations", AgendaItemKind.UPDATE, 50),
    ("Any other business", AgendaItemKind.OTHER, 20),
]
FIFTH_AGENDA = EARLIER_AGENDA
# Answers already given to the Fifth meeting's invitation; the others are pending.
FIFTH_ANSWERS = {
    "mia": Response.ACCEPTED,
    "unodc": Response.ACCEPTED,
    "supreme-court": Response.ACCEPTED,
    "inl": Response.TENTATIVE,
    "winrock": Response.DECLINED,
}


def _record[M: models.Model](key: str, model: type[M]) -> M | None:
    """A record the directory's demo made, found by its demo key."""
    record = DemoRecord.objects.filter(key=key).first()
    return model._default_manager.filter(pk=record.object_id).first() if record else None


def load() -> list[str]:
    """Create what is missing of the meetings' demo data; return what was created."""
    organisations = {key: _record(f"organisation:{key}", Organisation) for key in INVITED}
    if any(org is None for org in organisations.values()):
        return []
    orgs: dict[str, Organisation] = {k: o for k, o in organisations.items() if o is not None}
    people = {
        key: person
        for key in ("salikhov", "boboev", "rettenmayer")
        if (person := _record(f"person:{key}", Person)) is not None
    }
    created: list[str] = []
    series, new = ensure(
        "meetings:series",
        MeetingSeries,
        match={"title": SERIES_TITLE},
        create=partial(
            MeetingSeries.objects.create,
            title=SERIES_TITLE,
            title_ru=SERIES_TITLE_RU,
            title_uz=SERIES_TITLE_UZ,
            convener=orgs["unodc"],
            cadence=Cadence.BIANNUAL,
            default_venue=VENUE,
            default_time_zone="Asia/Tashkent",
        ),
    )
    if new:
        series.standing_invitees.set(orgs.values())
        default_rules(series)
        created.append(f"meeting series {series.title}")
    for number, start, hours in HELD:
        local = start.replace(tzinfo=TASHKENT)
        meeting, new = ensure(
            f"meetings:meeting:{number}",
            Meeting,
            match={"series": series, "number": number},
            create=partial(
                _meeting, series, number, local, timedelta(hours=hours), people.get("salikhov")
            ),
        )
        if new:
            meeting.status = MeetingStatus.HELD
            meeting.save(update_fields=["status"])
            if number == 4:
                _fourth_agenda(meeting, orgs, people)
            else:
                _agenda(meeting, EARLIER_AGENDA, orgs)
            _invite(meeting, orgs, held=True, absent=ABSENT.get(number, set()))
            created.append(f"meeting {meeting.title}")
    created.extend(_frameworks())
    fourth = _record("meetings:meeting:4", Meeting)
    if fourth is not None:
        created.extend(_follow_up(fourth, orgs, people))
        created.extend(_minutes(fourth, orgs, people))
        created.extend(_agenda_document(fourth, orgs))
    fifth_start = (timezone.localtime(timezone.now(), TASHKENT) + timedelta(days=30)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    meeting, new = ensure(
        "meetings:meeting:5",
        Meeting,
        match={"series": series, "number": 5},
        create=partial(
            _meeting, series, 5, fifth_start, timedelta(hours=3), people.get("salikhov")
        ),
    )
    if new:
        _agenda(meeting, FIFTH_AGENDA, orgs)
        _invite(meeting, orgs, held=False, absent=set())
        created.append(f"meeting {meeting.title}")
    return created


AGENDA_PDF = Path(__file__).parent / "demo_files" / "fourth-meeting-agenda.pdf"


def _agenda_document(meeting: Meeting, orgs: dict[str, Organisation]) -> list[str]:
    """The Fourth meeting's agenda as a PDF, for every portal user (green), as the
    secretariat of UNODC uploaded it."""

    def create() -> Document:
        content = AGENDA_PDF.read_bytes()
        checked = check_upload(io.BytesIO(content), name=AGENDA_PDF.name)
        name = default_storage.save(
            uploads.storage_name("documents", meeting.starts_at), ContentFile(content)
        )
        return Document.objects.create(
            meeting=meeting,
            kind=DocumentKind.AGENDA,
            title="Agenda of the Fourth coordination meeting",
            file=name,
            original_name=checked.original_name,
            file_type=checked.file_type,
            size=checked.size,
            sha256=checked.sha256,
            organisation=orgs["unodc"],
            label=Label.GREEN,
            uploaded_at=meeting.starts_at - timedelta(days=7),
        )

    document, new = ensure(
        "meetings:document:4:agenda",
        Document,
        match={"meeting": meeting, "kind": DocumentKind.AGENDA},
        create=create,
    )
    return [f"document {document.title}"] if new else []


def _meeting(
    series: MeetingSeries, number: int, start: datetime, length: timedelta, chair: Person | None
) -> Meeting:
    en, ru, uz = ORDINALS[number]
    meeting = Meeting(
        series=series,
        number=number,
        title=f"{en} coordination meeting on combating trafficking in persons",
        title_ru=f"{ru} координационная встреча по противодействию торговле людьми",
        title_uz=f"Odam savdosiga qarshi kurashish boʻyicha {uz.lower()} muvofiqlashtirish "
        "uchrashuvi",
        starts_at=start,
        ends_at=start + length,
        time_zone="Asia/Tashkent",
        modality=Modality.IN_PERSON,
        venue=VENUE,
        chair=chair,
    )
    meeting.full_clean()
    meeting.save()
    return meeting


def _agenda(
    meeting: Meeting, items: list[tuple[str, AgendaItemKind, int]], orgs: dict[str, Organisation]
) -> None:
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=position,
            title=title,
            kind=kind,
            duration_minutes=minutes,
            presenter_organisation=orgs["unodc"] if position == 1 else None,
        )
        for position, (title, kind, minutes) in enumerate(items, start=1)
    )


def _fourth_agenda(
    meeting: Meeting, orgs: dict[str, Organisation], people: dict[str, Person]
) -> None:
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=position,
            title=title,
            description=description,
            kind=kind,
            duration_minutes=minutes,
            presenter_organisation=orgs.get(org_key) if org_key else None,
            presenter_person=people.get(person_key) if person_key else None,
        )
        for position, (title, description, kind, minutes, org_key, person_key) in enumerate(
            FOURTH_AGENDA, start=1
        )
    )


def _invite(
    meeting: Meeting, orgs: dict[str, Organisation], *, held: bool, absent: set[str]
) -> None:
    """Invite each organisation's focal point and alternates; for a held meeting, with their
    answers and attendance; for the coming one, with some answers still pending."""
    contacts = Person.objects.filter(
        organisation__in=orgs.values(),
        is_active=True,
        mechanism_role__in=[MechanismRole.FOCAL_POINT, MechanismRole.ALTERNATE],
    )
    by_org: dict[int, list[Person]] = {}
    for person in contacts:
        by_org.setdefault(person.organisation_id or 0, []).append(person)
    invitations = []
    for key, organisation in orgs.items():
        if held or key in FIFTH_ANSWERS:
            state = OrganisationInvitationState.DELEGATES_NAMED
        else:
            state = OrganisationInvitationState.LETTER_SENT
        OrganisationInvitation.objects.get_or_create(
            meeting=meeting, organisation=organisation, defaults={"state": state}
        )
        stayed_away = key in absent
        for person in by_org.get(organisation.pk, []):
            if held:
                response = Response.DECLINED if stayed_away else Response.ACCEPTED
                attendance = Attendance.ABSENT if stayed_away else Attendance.ATTENDED
            else:
                response, attendance = FIFTH_ANSWERS.get(key, Response.PENDING), Attendance.UNKNOWN
            invitations.append(
                Invitation(
                    meeting=meeting,
                    person=person,
                    organisation=organisation,
                    response=response,
                    responded_at=None
                    if response == Response.PENDING
                    else meeting.starts_at - timedelta(days=7),
                    attendance=attendance,
                    invited_at=meeting.starts_at - timedelta(days=21),
                )
            )
    Invitation.objects.bulk_create(invitations, ignore_conflicts=True)


DECISIONS = [
    (
        "decisions:4/1",
        "The partners share their training plans for the coming quarter with the secretariat "
        "before the next meeting, so that trainings for the same audience are not duplicated.",
    ),
    (
        "decisions:4/2",
        "Identification and investigation of cases are the standing first item of the "
        "coordination meetings' review of the situation.",
    ),
]
# (key, action, owner organisation, owner person, due date, status, note)
ACTION_ITEMS: list[tuple[str, str, str, str | None, date, str, str]] = [
    (
        "action:tot",
        "Hold the Training of Trainers seminar on trafficking in persons (6 to 8 November "
        "2023) and share its report with the partners.",
        "unodc",
        "salikhov",
        date(2023, 11, 30),
        ActionItemStatus.DONE,
        "Seminar held; report shared with the partners.",
    ),
    (
        "action:airports",
        "Train airport employees in Bukhara, Fergana and Namangan to recognise signs of "
        "trafficking.",
        "unodc",
        None,
        date(2023, 12, 15),
        ActionItemStatus.DONE,
        "Trainings held in the three airports in November.",
    ),
    (
        "action:estonia",
        "Prepare the study visit of the delegation of the Republic of Estonia on cooperation "
        "in combating trafficking in persons.",
        "mfa",
        None,
        date(2024, 2, 29),
        ActionItemStatus.DONE,
        "Study visit held; a memorandum on cooperation is being discussed.",
    ),
    (
        "action:trends",
        "Share data on recruitment through social media and on routes to third countries for "
        "the review of emerging trends.",
        "mia",
        "boboev",
        date(2024, 1, 31),
        ActionItemStatus.OPEN,
        "",
    ),
]


NAP = FrameworkKind.NAP_MEASURE
TIP = FrameworkKind.TIP_RECOMMENDATION
# (framework, year, number, text, text in Russian)
FRAMEWORKS: list[tuple[str, int, str, str, str]] = [
    (
        NAP,
        2023,
        "1.1",
        "Conduct awareness campaigns on safe labour migration for young people and labour "
        "migrants, online and in the regions.",
        "Проводить информационные кампании о безопасной трудовой миграции для молодёжи и "
        "трудовых мигрантов, в интернете и в регионах.",
    ),
    (
        NAP,
        2023,
        "2.3",
        "Train the staff of airports, border posts and transport hubs to identify presumed "
        "victims of trafficking and refer them to assistance.",
        "Обучить сотрудников аэропортов, пограничных постов и транспортных узлов выявлению "
        "предполагаемых жертв торговли людьми и их направлению за помощью.",
    ),
    (
        NAP,
        2023,
        "3.2",
        "Strengthen the capacity of investigators and prosecutors to investigate and "
        "prosecute trafficking cases.",
        "Укрепить потенциал следователей и прокуроров в расследовании и уголовном "
        "преследовании дел о торговле людьми.",
    ),
    (
        NAP,
        2023,
        "4.1",
        "Develop international cooperation against trafficking in persons, including study "
        "visits and agreements with countries of destination.",
        "Развивать международное сотрудничество против торговли людьми, включая учебные "
        "визиты и соглашения со странами назначения.",
    ),
    (
        TIP,
        2023,
        "R1",
        "Increase efforts to investigate and prosecute trafficking crimes and to convict "
        "traffickers.",
        "Активизировать расследование и уголовное преследование преступлений, связанных с "
        "торговлей людьми, и осуждение торговцев людьми.",
    ),
    (
        TIP,
        2023,
        "R2",
        "Proactively screen vulnerable populations, including labour migrants returning "
        "from abroad, for indicators of trafficking.",
        "Активно проверять уязвимые группы, в том числе трудовых мигрантов, возвращающихся "
        "из-за рубежа, на признаки торговли людьми.",
    ),
    (
        TIP,
        2023,
        "R3",
        "Train law enforcement, border and transport officials to identify victims and refer "
        "them to services.",
        "Обучать сотрудников правоохранительных органов, пограничной службы и транспорта "
        "выявлению жертв и их направлению в службы помощи.",
    ),
    (
        TIP,
        2023,
        "R4",
        "Increase support for shelters and services run by civil society for victims of "
        "trafficking.",
        "Расширить поддержку приютов и служб помощи жертвам торговли людьми, которыми "
        "управляет гражданское общество.",
    ),
    (
        TIP,
        2023,
        "R5",
        "Raise public awareness of fraudulent recruitment, including recruitment over social "
        "media.",
        "Повышать осведомлённость населения о мошеннической вербовке, в том числе через "
        "социальные сети.",
    ),
]
# What the Fourth meeting's decisions and action items answer, by demo key.
FOLLOW_UP_TAGS = {
    "decisions:4/1": [(NAP, "2.3")],
    "decisions:4/2": [(NAP, "3.2"), (TIP, "R1")],
    "action:tot": [(NAP, "2.3"), (TIP, "R3")],
    "action:airports": [(NAP, "2.3"), (TIP, "R3")],
    "action:estonia": [(NAP, "4.1")],
}


def framework_reference(kind: str, code: str, year: int = 2023) -> FrameworkReference | None:
    """A demo reference, for the demo data of other apps to tag."""
    return FrameworkReference.objects.filter(kind=kind, year=year, code=code).first()


def _frameworks() -> list[str]:
    """The National Action Plan's measures and the TIP Report's recommendations of 2023."""
    created = []
    for kind, year, code, text, text_ru in FRAMEWORKS:
        reference, new = ensure(
            f"meetings:framework:{kind}:{year}:{code}",
            FrameworkReference,
            match={"kind": kind, "year": year, "code": code},
            create=partial(
                FrameworkReference.objects.create,
                kind=kind,
                year=year,
                code=code,
                text=text,
                text_ru=text_ru,
            ),
        )
        if new:
            created.append(f"framework reference {reference.short_name}")
    return created


def _tag(record: Decision | ActionItem, key: str) -> None:
    if record.framework_references.exists():
        return
    found = [framework_reference(kind, code) for kind, code in FOLLOW_UP_TAGS.get(key, [])]
    record.framework_references.add(*[reference for reference in found if reference])


def _follow_up(
    meeting: Meeting, orgs: dict[str, Organisation], people: dict[str, Person]
) -> list[str]:
    """The Fourth meeting's decisions and the action items following up its activities:
    three done, one overdue."""
    created = []
    decisions = []
    for number, (key, text) in enumerate(DECISIONS, start=1):
        decision, new = ensure(
            f"meetings:{key}",
            Decision,
            match={"meeting": meeting, "number": number},
            create=partial(Decision.objects.create, meeting=meeting, number=number, text=text),
        )
        decisions.append(decision)
        _tag(decision, key)
        if new:
            created.append(f"decision {decision.code}")
    for key, text, org_key, person_key, due, status, note in ACTION_ITEMS:
        item, new = ensure(
            f"meetings:{key}",
            ActionItem,
            match={"meeting": meeting, "description": text},
            create=partial(
                ActionItem.objects.create,
                meeting=meeting,
                description=text,
                owner_organisation=orgs[org_key],
                owner_person=people.get(person_key) if person_key else None,
                due_on=due,
                decision=decisions[0] if key == "action:trends" else None,
            ),
        )
        if new and status != ActionItemStatus.OPEN:
            ActionItemUpdate.objects.create(
                item=item, from_status=ActionItemStatus.OPEN, to_status=status, note=note
            )
            item.status = status
            if status == ActionItemStatus.DONE:
                item.completed_at = datetime.combine(due, datetime.min.time(), TASHKENT)
            item.save()
        _tag(item, key)
        if new:
            created.append(f"action item {text[:40]}…")
    return created


FOURTH_MINUTES = """## Review of the situation

The Ministry of Internal Affairs reviewed the state of trafficking in persons in Uzbekistan.
Participants agreed that a robust system for **identification and investigation** is the
cornerstone of the response.

## Activities

- Training of Trainers seminar on trafficking in persons, 6 to 8 November 2023.
- Trainings for airport employees in Bukhara, Fergana and Namangan in November.
- Study visit of the delegation of the Republic of Estonia.

## Emerging trends

| Trend | Noted by |
|---|---|
| Recruitment through technology and social media | several partners |
| Routes to third countries such as India, Turkey and Thailand | MIA, IOM |
| Exploitation of vulnerable people, migrants among them | NGOs |

The meeting closed with thanks to the participants; decisions 4/1 and 4/2 are recorded
on the meeting's page.
"""
FOURTH_MINUTES_RU = """## Обзор ситуации

Министерство внутренних дел представило обзор положения дел в сфере торговли людьми в
Узбекистане. Участники согласились, что надёжная система **выявления и расследования**
является основой противодействия.

## Мероприятия

- Семинар по подготовке тренеров по вопросам торговли людьми, с 6 по 8 ноября 2023 года.
- Тренинги для сотрудников аэропортов в Бухаре, Фергане и Намангане в ноябре.
- Учебный визит делегации Эстонской Республики.

## Новые тенденции

| Тенденция | Отметили |
|---|---|
| Вербовка через технологии и социальные сети | несколько партнёров |
| Маршруты в третьи страны, такие как Индия, Турция и Таиланд | МВД, МОМ |
| Эксплуатация уязвимых лиц, в том числе мигрантов | ННО |

Заседание завершилось благодарностью участникам; решения 4/1 и 4/2 записаны на странице
заседания.
"""
STATEMENTS = [
    (
        "salikhov",
        "unodc",
        "These meetings allow us to consolidate our efforts in the fight against trafficking in "
        "persons. They provide a platform for stakeholders to discuss strategies, share "
        "experiences, and plan future activities.",
    ),
    (
        "rettenmayer",
        "inl",
        "The international community stands firmly with Uzbekistan in its efforts to combat "
        "trafficking. The engagement of various stakeholders in this meeting demonstrates a "
        "commitment to this cause and paves the way for productive collaboration.",
    ),
    (
        "boboev",
        "mia",
        "UNODC has been an essential partner in our fight against trafficking in persons. We "
        "have made significant progress, and our partnership has been invaluable.",
    ),
]


def _minutes(
    meeting: Meeting, orgs: dict[str, Organisation], people: dict[str, Person]
) -> list[str]:
    """The Fourth meeting's minutes, adopted and readable by every portal user (green), with
    the three statements the seed article quotes."""
    adopted_at = datetime(2023, 11, 10, 12, 0, tzinfo=TASHKENT)
    minutes, new = ensure(
        "meetings:minutes:4",
        Minutes,
        match={"meeting": meeting},
        create=partial(
            Minutes.objects.create,
            meeting=meeting,
            label=Label.GREEN,
            state=MinutesState.ADOPTED,
            circulated_at=adopted_at - timedelta(days=7),
            adopted_at=adopted_at,
        ),
    )
    if not new:
        return []
    MinutesRevision.objects.create(
        minutes=minutes,
        number=1,
        text_en=FOURTH_MINUTES,
        text_ru=FOURTH_MINUTES_RU,
        authoritative_language="ru",
        created_at=adopted_at - timedelta(days=10),
        adopted_at=adopted_at,
    )
    Statement.objects.bulk_create(
        Statement(
            minutes=minutes,
            speaker=people[person_key],
            organisation=orgs[org_key],
            text=text,
            order=order,
        )
        for order, (person_key, org_key, text) in enumerate(STATEMENTS, start=1)
        if person_key in people
    )
    return [f"minutes of {meeting.title}"]

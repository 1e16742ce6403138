# Russian names are written in Cyrillic, whose letters look like Latin ones on purpose.
# ruff: noqa: RUF001, RUF003
"""Words the generated directory is made of: places, bodies, agencies, names and positions.

Russian names are in Cyrillic; Uzbek names in Latin script with the oʻ/gʻ letter (U+02BB)
and the tutuq belgisi (U+02BC), as the portal's search must handle them.
"""

import re
from typing import NamedTuple

from stakeholders.models import IatiOrganisationType as Iati
from stakeholders.models import StakeholderGroup as G


class Region(NamedTuple):
    en: str
    ru: str  # genitive, as in "Управление юстиции Самаркандской области"
    uz: str
    city_en: str
    city_ru: str
    city_uz: str


REGIONS: list[Region] = [
    Region(
        "Tashkent City", "города Ташкента", "Toshkent shahri", "Tashkent", "Ташкент", "Toshkent"
    ),
    Region(
        "Tashkent Region",
        "Ташкентской области",
        "Toshkent viloyati",
        "Nurafshon",
        "Нурафшон",
        "Nurafshon",
    ),
    Region(
        "Samarkand Region",
        "Самаркандской области",
        "Samarqand viloyati",
        "Samarkand",
        "Самарканд",
        "Samarqand",
    ),
    Region("Bukhara Region", "Бухарской области", "Buxoro viloyati", "Bukhara", "Бухара", "Buxoro"),
    Region(
        "Andijan Region", "Андижанской области", "Andijon viloyati", "Andijan", "Андижан", "Andijon"
    ),
    Region(
        "Fergana Region",
        "Ферганской области",
        "Fargʻona viloyati",
        "Fergana",
        "Фергана",
        "Fargʻona",
    ),
    Region(
        "Namangan Region",
        "Наманганской области",
        "Namangan viloyati",
        "Namangan",
        "Наманган",
        "Namangan",
    ),
    Region(
        "Kashkadarya Region",
        "Кашкадарьинской области",
        "Qashqadaryo viloyati",
        "Karshi",
        "Карши",
        "Qarshi",
    ),
    Region(
        "Surkhandarya Region",
        "Сурхандарьинской области",
        "Surxondaryo viloyati",
        "Termez",
        "Термез",
        "Termiz",
    ),
    Region(
        "Khorezm Region", "Хорезмской области", "Xorazm viloyati", "Urgench", "Ургенч", "Urganch"
    ),
    Region("Navoi Region", "Навоийской области", "Navoiy viloyati", "Navoi", "Навои", "Navoiy"),
    Region(
        "Jizzakh Region", "Джизакской области", "Jizzax viloyati", "Jizzakh", "Джизак", "Jizzax"
    ),
    Region(
        "Syrdarya Region",
        "Сырдарьинской области",
        "Sirdaryo viloyati",
        "Gulistan",
        "Гулистан",
        "Guliston",
    ),
    Region(
        "Republic of Karakalpakstan",
        "Республики Каракалпакстан",
        "Qoraqalpogʻiston Respublikasi",
        "Nukus",
        "Нукус",
        "Nukus",
    ),
]


class Body(NamedTuple):
    """A national body; `unit_*` name its regional offices, with {r} for the region."""

    en: str
    ru: str
    uz: str
    short: str
    group: str
    unit_en: str = ""
    unit_ru: str = ""
    unit_uz: str = ""


NATIONAL_BODIES: list[Body] = [
    Body(
        "National Commission on Combating Trafficking in Persons and Forced Labour",
        "Национальная комиссия по противодействию торговле людьми и принудительному труду",
        "Odam savdosi va majburiy mehnatga qarshi kurashish milliy komissiyasi",
        "NC",
        G.NATIONAL_COORDINATION_BODY,
        "Territorial Commission on Combating Trafficking in Persons of {r}",
        "Территориальная комиссия по противодействию торговле людьми {r}",
        "{r} odam savdosiga qarshi kurashish hududiy komissiyasi",
    ),
    Body(
        "Ministry of Internal Affairs",
        "Министерство внутренних дел",
        "Ichki ishlar vazirligi",
        "MIA",
        G.LAW_ENFORCEMENT,
        "Department of Internal Affairs of {r}",
        "Управление внутренних дел {r}",
        "{r} ichki ishlar boshqarmasi",
    ),
    Body(
        "Ministry of Justice",
        "Министерство юстиции",
        "Adliya vazirligi",
        "MoJ",
        G.MINISTRY,
        "Department of Justice of {r}",
        "Управление юстиции {r}",
        "{r} adliya boshqarmasi",
    ),
    Body(
        "Ministry of Employment and Poverty Reduction",
        "Министерство занятости и сокращения бедности",
        "Bandlik va kambagʻallikni qisqartirish vazirligi",
        "MEPR",
        G.MINISTRY,
        "Employment Department of {r}",
        "Управление занятости {r}",
        "{r} bandlik boshqarmasi",
    ),
    Body(
        "Ministry of Health",
        "Министерство здравоохранения",
        "Sogʻliqni saqlash vazirligi",
        "MoH",
        G.MINISTRY,
        "Health Department of {r}",
        "Управление здравоохранения {r}",
        "{r} sogʻliqni saqlash boshqarmasi",
    ),
    Body(
        "Ministry of Preschool and School Education",
        "Министерство дошкольного и школьного образования",
        "Maktabgacha va maktab taʼlimi vazirligi",
        "MoE",
        G.MINISTRY,
        "Education Department of {r}",
        "Управление народного образования {r}",
        "{r} xalq taʼlimi boshqarmasi",
    ),
    Body(
        "Ministry of Foreign Affairs",
        "Министерство иностранных дел",
        "Tashqi ishlar vazirligi",
        "MFA",
        G.MINISTRY,
    ),
    Body(
        "Agency for External Labour Migration",
        "Агентство внешней трудовой миграции",
        "Tashqi mehnat migratsiyasi agentligi",
        "AELM",
        G.MINISTRY,
        "Migration Centre of {r}",
        "Центр миграции {r}",
        "{r} migratsiya markazi",
    ),
    Body(
        "Committee on Family and Women",
        "Комитет по делам семьи и женщин",
        "Oila va xotin-qizlar qoʻmitasi",
        "CFW",
        G.MINISTRY,
        "Family and Women Department of {r}",
        "Управление по делам семьи и женщин {r}",
        "{r} oila va xotin-qizlar boshqarmasi",
    ),
    Body(
        "General Prosecutor's Office",
        "Генеральная прокуратура",
        "Bosh prokuratura",
        "GPO",
        G.PROSECUTION,
        "Prosecutor's Office of {r}",
        "Прокуратура {r}",
        "{r} prokuraturasi",
    ),
    Body(
        "State Customs Committee",
        "Государственный таможенный комитет",
        "Davlat bojxona qoʻmitasi",
        "SCC",
        G.LAW_ENFORCEMENT,
        "Customs Department of {r}",
        "Таможенное управление {r}",
        "{r} bojxona boshqarmasi",
    ),
    Body(
        "Supreme Court",
        "Верховный суд",
        "Oliy sud",
        "SC",
        G.JUDICIARY,
        "Criminal Court of {r}",
        "Суд по уголовным делам {r}",
        "{r} jinoyat ishlari boʻyicha sudi",
    ),
    Body(
        "Legislative Chamber of the Oliy Majlis",
        "Законодательная палата Олий Мажлиса",
        "Oliy Majlis Qonunchilik palatasi",
        "LC",
        G.PARLIAMENT,
    ),
    Body("Senate of the Oliy Majlis", "Сенат Олий Мажлиса", "Oliy Majlis Senati", "", G.PARLIAMENT),
    Body(
        "Ombudsman for Human Rights of the Oliy Majlis",
        "Уполномоченный Олий Мажлиса по правам человека (омбудсман)",
        "Oliy Majlisning inson huquqlari boʻyicha vakili (ombudsman)",
        "Ombudsman",
        G.PARLIAMENT,
        "Regional Representative of the Ombudsman, {r}",
        "Региональный представитель омбудсмана {r}",
        "{r} ombudsman vakili",
    ),
]


class Agency(NamedTuple):
    en: str
    ru: str
    uz: str
    short: str
    group: str
    iati_identifier: str
    iati_type: str
    country: str


AGENCIES: list[Agency] = [
    Agency(
        "United Nations Children's Fund",
        "Детский фонд ООН",
        "BMT Bolalar jamgʻarmasi",
        "UNICEF",
        G.UN_AGENCY,
        "XM-DAC-41122",
        Iati.MULTILATERAL,
        "UZ",
    ),
    Agency(
        "United Nations Development Programme",
        "Программа развития ООН",
        "BMT Taraqqiyot dasturi",
        "UNDP",
        G.UN_AGENCY,
        "XM-DAC-41114",
        Iati.MULTILATERAL,
        "UZ",
    ),
    Agency(
        "United Nations Population Fund",
        "Фонд ООН в области народонаселения",
        "BMT Aholishunoslik jamgʻarmasi",
        "UNFPA",
        G.UN_AGENCY,
        "XM-DAC-41119",
        Iati.MULTILATERAL,
        "UZ",
    ),
    Agency(
        "United Nations High Commissioner for Refugees",
        "Управление Верховного комиссара ООН по делам беженцев",
        "BMT Qochqinlar ishlari boʻyicha Oliy komissarligi",
        "UNHCR",
        G.UN_AGENCY,
        "XM-DAC-41121",
        Iati.MULTILATERAL,
        "UZ",
    ),
    Agency(
        "International Labour Organization",
        "Международная организация труда",
        "Xalqaro mehnat tashkiloti",
        "ILO",
        G.UN_AGENCY,
        "XM-DAC-41302",
        Iati.MULTILATERAL,
        "UZ",
    ),
    Agency(
        "UN Women",
        "Структура ООН-женщины",
        "BMT Xotin-qizlar tuzilmasi",
        "UN Women",
        G.UN_AGENCY,
        "XM-DAC-41146",
        Iati.MULTILATERAL,
        "UZ",
    ),
    Agency(
        "Organization for Security and Co-operation in Europe",
        "Организация по безопасности и сотрудничеству в Европе",
        "Yevropada xavfsizlik va hamkorlik tashkiloti",
        "OSCE",
        G.INTERNATIONAL_ORGANISATION,
        "",
        Iati.MULTILATERAL,
        "UZ",
    ),
    Agency(
        "International Centre for Migration Policy Development",
        "Международный центр по развитию миграционной политики",
        "Migratsiya siyosatini rivojlantirish xalqaro markazi",
        "ICMPD",
        G.INTERNATIONAL_ORGANISATION,
        "",
        Iati.MULTILATERAL,
        "UZ",
    ),
    Agency(
        "United States Agency for International Development",
        "Агентство США по международному развитию",
        "AQSh Xalqaro taraqqiyot agentligi",
        "USAID",
        G.DONOR,
        "US-GOV-1",
        Iati.GOVERNMENT,
        "US",
    ),
    Agency(
        "Delegation of the European Union to Uzbekistan",
        "Представительство Европейского союза в Узбекистане",
        "Yevropa Ittifoqining Oʻzbekistondagi vakolatxonasi",
        "EU",
        G.DONOR,
        "",
        Iati.MULTILATERAL,
        "BE",
    ),
    Agency(
        "Deutsche Gesellschaft für Internationale Zusammenarbeit",
        "Германское общество по международному сотрудничеству",
        "Germaniya xalqaro hamkorlik jamiyati",
        "GIZ",
        G.DONOR,
        "DE-1",
        Iati.GOVERNMENT,
        "DE",
    ),
    Agency(
        "Foreign, Commonwealth and Development Office",
        "Министерство иностранных дел, по делам Содружества и развития Великобритании",
        "Buyuk Britaniya Tashqi ishlar, Hamdoʻstlik va taraqqiyot vazirligi",
        "FCDO",
        G.DONOR,
        "GB-GOV-1",
        Iati.GOVERNMENT,
        "GB",
    ),
    Agency(
        "Swiss Agency for Development and Cooperation",
        "Швейцарское управление по развитию и сотрудничеству",
        "Shveytsariya taraqqiyot va hamkorlik agentligi",
        "SDC",
        G.DONOR,
        "CH-4",
        Iati.GOVERNMENT,
        "CH",
    ),
    Agency(
        "Korea International Cooperation Agency",
        "Корейское агентство международного сотрудничества",
        "Koreya xalqaro hamkorlik agentligi",
        "KOICA",
        G.DONOR,
        "",
        Iati.GOVERNMENT,
        "KR",
    ),
    Agency(
        "Terre des hommes",
        "Терре дез омм",
        "Terre des hommes",
        "Tdh",
        G.INTERNATIONAL_NGO,
        "",
        Iati.INTERNATIONAL_NGO,
        "UZ",
    ),
    Agency(
        "La Strada International",
        "Ла Страда Интернешнл",
        "La Strada International",
        "La Strada",
        G.INTERNATIONAL_NGO,
        "",
        Iati.INTERNATIONAL_NGO,
        "UZ",
    ),
    Agency(
        "Anti-Slavery International",
        "Международная организация против рабства",
        "Qullikka qarshi xalqaro tashkilot",
        "ASI",
        G.INTERNATIONAL_NGO,
        "",
        Iati.INTERNATIONAL_NGO,
        "UZ",
    ),
    Agency(
        "Mercy Corps",
        "Мерси Кор",
        "Mercy Corps",
        "Mercy Corps",
        G.INTERNATIONAL_NGO,
        "",
        Iati.INTERNATIONAL_NGO,
        "UZ",
    ),
    Agency(
        "Helvetas Swiss Intercooperation",
        "Хельветас",
        "Helvetas",
        "Helvetas",
        G.INTERNATIONAL_NGO,
        "",
        Iati.INTERNATIONAL_NGO,
        "UZ",
    ),
]

# Countries with an embassy in Tashkent: (English, Russian genitive, Uzbek, ISO code).
EMBASSY_COUNTRIES: list[tuple[str, str, str, str]] = [
    ("Germany", "Германии", "Germaniya", "DE"),
    ("France", "Франции", "Fransiya", "FR"),
    ("the United Kingdom", "Великобритании", "Buyuk Britaniya", "GB"),
    ("Japan", "Японии", "Yaponiya", "JP"),
    ("the Republic of Korea", "Республики Корея", "Koreya Respublikasi", "KR"),
    ("China", "Китайской Народной Республики", "Xitoy", "CN"),
    ("Türkiye", "Турецкой Республики", "Turkiya", "TR"),
    ("the Russian Federation", "Российской Федерации", "Rossiya Federatsiyasi", "RU"),
    ("Kazakhstan", "Казахстана", "Qozogʻiston", "KZ"),
    ("the Kyrgyz Republic", "Кыргызской Республики", "Qirgʻiziston", "KG"),
    ("Tajikistan", "Таджикистана", "Tojikiston", "TJ"),
    ("Turkmenistan", "Туркменистана", "Turkmaniston", "TM"),
    ("Italy", "Италии", "Italiya", "IT"),
    ("Switzerland", "Швейцарии", "Shveytsariya", "CH"),
    ("Sweden", "Швеции", "Shvetsiya", "SE"),
    ("the Netherlands", "Нидерландов", "Niderlandiya", "NL"),
    ("Poland", "Польши", "Polsha", "PL"),
    ("India", "Индии", "Hindiston", "IN"),
    ("Israel", "Израиля", "Isroil", "IL"),
    ("Latvia", "Латвии", "Latviya", "LV"),
    ("Czechia", "Чехии", "Chexiya", "CZ"),
    ("Hungary", "Венгрии", "Vengriya", "HU"),
    ("Finland", "Финляндии", "Finlyandiya", "FI"),
    ("Canada", "Канады", "Kanada", "CA"),
    ("Austria", "Австрии", "Avstriya", "AT"),
    ("Belgium", "Бельгии", "Belgiya", "BE"),
    ("the United Arab Emirates", "Объединённых Арабских Эмиратов", "BAA", "AE"),
    ("Saudi Arabia", "Саудовской Аравии", "Saudiya Arabistoni", "SA"),
    ("Qatar", "Катара", "Qatar", "QA"),
    ("Pakistan", "Пакистана", "Pokiston", "PK"),
    ("Azerbaijan", "Азербайджана", "Ozarbayjon", "AZ"),
    ("Georgia", "Грузии", "Gruziya", "GE"),
    ("Ukraine", "Украины", "Ukraina", "UA"),
    ("Belarus", "Беларуси", "Belarus", "BY"),
    ("Malaysia", "Малайзии", "Malayziya", "MY"),
    ("Indonesia", "Индонезии", "Indoneziya", "ID"),
    ("Egypt", "Египта", "Misr", "EG"),
    ("Iran", "Ирана", "Eron", "IR"),
]

# Words for the names of NGOs, companies and media, in Uzbek Latin.
WORDS: list[str] = [
    "Istiqbol",
    "Ishonch",
    "Mehr",
    "Oydin Yoʻl",
    "Sogʻlom Avlod",
    "Kelajak",
    "Nur",
    "Yuksalish",
    "Barqaror Hayot",
    "Tayanch",
    "Umid",
    "Ezgulik",
    "Hamkor",
    "Maʼrifat",
    "Oila",
    "Saodat",
    "Zamin",
    "Navbahor",
    "Shaffof",
    "Adolat",
    "Qalb",
    "Yordam",
    "Mehribonlik",
    "Tinchlik",
    "Yangi Avlod",
    "Himoya",
    "Ibrat",
    "Nurli Kelajak",
    "Gʻamxoʻr",
    "Sharq Yulduzi",
]

# (English, Russian, Uzbek) kinds of national NGO.
NGO_KINDS: list[tuple[str, str, str]] = [
    ("NGO", "ННО", "NNT"),
    ("Women's Association", "Женская ассоциация", "Xotin-qizlar uyushmasi"),
    ("Youth Centre", "Молодёжный центр", "Yoshlar markazi"),
    ("Legal Aid Centre", "Центр правовой помощи", "Huquqiy yordam markazi"),
    ("Crisis Centre", "Кризисный центр", "Inqiroz markazi"),
    ("Rehabilitation Centre", "Реабилитационный центр", "Reabilitatsiya markazi"),
]
INSTITUTE_FIELDS: list[tuple[str, str, str]] = [
    ("Law", "права", "huquq"),
    ("Economics", "экономики", "iqtisodiyot"),
    ("Social Sciences", "социальных наук", "ijtimoiy fanlar"),
    ("Pedagogy", "педагогики", "pedagogika"),
    ("Migration Studies", "исследований миграции", "migratsiya tadqiqotlari"),
]
INDUSTRIES: list[tuple[str, str, str]] = [
    ("Textile", "Текстиль", "Tekstil"),
    ("Agro", "Агро", "Agro"),
    ("Logistics", "Логистик", "Logistika"),
    ("Construction", "Строй", "Qurilish"),
    ("Travel", "Тревел", "Sayohat"),
    ("Recruitment", "Рекрутинг", "Ishga yollash"),
    ("Cotton Cluster", "Хлопковый кластер", "Paxta klasteri"),
]
MEDIA_KINDS: list[tuple[str, str, str]] = [
    ("TV", "ТВ", "TV"),
    ("Radio", "Радио", "Radiosi"),
    ("News", "Новости", "Yangiliklari"),
    ("Media", "Медиа", "Media"),
]

# Uzbek Latin to Russian Cyrillic, longest spellings first.
_CYRILLIC = [
    ("yoʻ", "йу"),
    ("oʻ", "у"),
    ("gʻ", "г"),
    ("sh", "ш"),
    ("ch", "ч"),
    ("yo", "ё"),
    ("yu", "ю"),
    ("ya", "я"),
    ("ʼ", ""),
    ("j", "дж"),
    *zip("abdefghiklmnopqrstuvxyz", "абдефгхиклмнопкрстувхйз", strict=True),
]


def cyrillic(text: str) -> str:
    """A Russian rendering of an Uzbek Latin name, as Russian documents write it."""
    out: list[str] = []
    i = 0
    while i < len(text):
        for latin, cyr in _CYRILLIC:
            chunk = text[i : i + len(latin)]
            if chunk.lower() == latin:
                out.append(cyr.capitalize() if chunk[0].isupper() else cyr)
                i += len(latin)
                break
        else:
            out.append(text[i])
            i += 1
    # Russian writes a word's first e as э: Эзгулик.
    return re.sub(r"(^|\s)Е", r"\1Э", "".join(out))


# People: (Latin, email-safe) for Uzbek names; Cyrillic names carry their Latin spelling.
UZBEK_MEN = "Akmal Alisher Anvar Aziz Bahodir Bekzod Dilshod Doniyor Eldor Farrux Jasur Javlon "
UZBEK_MEN += "Jamshid Komil Mansur Nodir Oybek Otabek Rustam Sanjar Sardor Shavkat Sherzod Temur "
UZBEK_MEN += "Ulugʻbek Umid Zafar"
UZBEK_WOMEN = "Aziza Barno Dilnoza Dildora Feruza Gulnora Gulchehra Kamola Lola Madina Malika "
UZBEK_WOMEN += "Mohira Nargiza Nilufar Nodira Oydin Rano Sabina Sevara Shahnoza Umida Yulduz "
UZBEK_WOMEN += "Zarina Zulfiya"
UZBEK_SURNAMES = "Abdullayev Aliyev Azimov Bakirov Ergashev Fayzullayev Gʻofurov Hasanov "
UZBEK_SURNAMES += "Ibragimov Ismoilov Joʻrayev Kamolov Karimov Latipov Mahmudov Mirzayev Nazarov "
UZBEK_SURNAMES += "Nematov Oʻrinboyev Qodirov Rahimov Rasulov Saidov Salimov Sharipov Sobirov "
UZBEK_SURNAMES += "Sultonov Tursunov Umarov Usmonov Xolmatov Yoʻldoshev Yusupov Zakirov"
RUSSIAN_MEN = [
    ("Алексей", "aleksey"),
    ("Дмитрий", "dmitriy"),
    ("Сергей", "sergey"),
    ("Андрей", "andrey"),
    ("Игорь", "igor"),
    ("Владимир", "vladimir"),
    ("Николай", "nikolay"),
    ("Павел", "pavel"),
]
RUSSIAN_WOMEN = [
    ("Елена", "elena"),
    ("Ольга", "olga"),
    ("Наталья", "natalya"),
    ("Ирина", "irina"),
    ("Татьяна", "tatyana"),
    ("Светлана", "svetlana"),
    ("Марина", "marina"),
    ("Анна", "anna"),
]
# (Cyrillic, Latin, whether a woman's form adds "а").
RUSSIAN_SURNAMES = [
    ("Иванов", "ivanov", True),
    ("Смирнов", "smirnov", True),
    ("Кузнецов", "kuznetsov", True),
    ("Попов", "popov", True),
    ("Соколов", "sokolov", True),
    ("Морозов", "morozov", True),
    ("Петров", "petrov", True),
    ("Волков", "volkov", True),
    ("Ким", "kim", False),
    ("Пак", "pak", False),
    ("Цой", "tsoy", False),
    ("Ли", "li", False),
]
INTERNATIONAL_FIRST = "Anna James Maria Thomas Sophie David Laura Michael Julia Daniel Claire "
INTERNATIONAL_FIRST += "Martin Sarah Marco Ingrid Kenji Ji-woo Fatima Lucas Emma"
INTERNATIONAL_LAST = "Müller Smith Rossi Dubois Johansson Novak Kowalski Tanaka Kim O'Brien "
INTERNATIONAL_LAST += "García Schneider Andersen Jensen Moreau Nakamura Park Wilson Bianchi Weber"

POSITIONS: list[str] = [
    "Head of Department",
    "Deputy Head of Department",
    "Chief Specialist",
    "Senior Inspector",
    "Programme Officer",
    "National Programme Officer",
    "Project Coordinator",
    "Project Officer",
    "Legal Adviser",
    "Director",
    "Deputy Director",
    "Counsellor",
    "First Secretary",
    "Prosecutor",
    "Judge",
    "Researcher",
    "Social Worker",
    "Psychologist",
    "Lawyer",
    "Journalist",
    "Head of International Relations",
    "Migration Specialist",
    "Labour Inspector",
    "Gender Specialist",
    "Communications Officer",
    "Monitoring and Evaluation Officer",
]

"""The directory's vocabularies: stored codes, translated labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StakeholderGroup(models.TextChoices):
    NATIONAL_COORDINATION_BODY = "national_coordination_body", _("National coordination body")
    MINISTRY = "ministry", _("Ministry")
    JUDICIARY = "judiciary", _("Judiciary")
    PROSECUTION = "prosecution", _("Prosecution")
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    PARLIAMENT = "parliament", _("Parliament")
    EMBASSY = "embassy", _("Embassy")
    DONOR = "donor", _("Donor")
    UN_AGENCY = "un_agency", _("UN agency")
    INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
    INTERNATIONAL_NGO = "international_ngo", _("International NGO")
    NATIONAL_NGO = "national_ngo", _("National NGO")
    ACADEMIA = "academia", _("Academia")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    MEDIA = "media", _("Media")


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    PARTNER = "partner", _("Partner")
    DONOR = "donor", _("Donor")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    RUSSIAN = "ru", _("Russian")
    UZBEK = "uz", _("Uzbek")


class MechanismRole(models.TextChoices):
    FOCAL_POINT = "focal_point", _("Focal point")
    ALTERNATE = "alternate", _("Alternate")
    MEMBER = "member", _("Member")


class IatiOrganisationType(models.TextChoices):
    GOVERNMENT = "10", _("Government")
    OTHER_PUBLIC_SECTOR = "15", _("Other public sector")
    INTERNATIONAL_NGO = "21", _("International NGO")
    NATIONAL_NGO = "22", _("National NGO")
    MULTILATERAL = "40", _("Multilateral")
    PRIVATE_SECTOR = "70", _("Private sector")
    ACADEMIC = "80", _("Academic, training and research")


class Sex(models.TextChoices):
    """As donors report participants: counted, never required."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNDISCLOSED = "undisclosed", _("Not disclosed")

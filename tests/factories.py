"""factory_boy factories: the real models in the real database."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from klebepunkt.processes import models
from klebepunkt.processes.models import Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Process

    title = factory.Sequence(lambda n: f"Verfahren {n}")


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ProcessRole

    process = factory.SubFactory(ProcessFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.FACILITATOR


class ThemeFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ThemeField

    process = factory.SubFactory(ProcessFactory)
    name = factory.Sequence(lambda n: f"Themenfeld {n}")


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Goal

    theme_field = factory.SubFactory(ThemeFieldFactory)
    text = factory.Sequence(lambda n: f"Ziel {n}")


class CardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Card

    theme_field = factory.SubFactory(ThemeFieldFactory)
    text = factory.Sequence(lambda n: f"Karte {n}")
    dots = 0


class StakeholderGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.StakeholderGroup

    process = factory.SubFactory(ProcessFactory)
    name = factory.Sequence(lambda n: f"Bereich {n}")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Member

    process = factory.SubFactory(ProcessFactory)
    stakeholder_group = factory.SubFactory(
        StakeholderGroupFactory, process=factory.SelfAttribute("..process")
    )
    name = factory.Sequence(lambda n: f"Mitglied {n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Meeting

    process = factory.SubFactory(ProcessFactory)
    date = factory.Faker("date_object")
    place = "Rathaus"

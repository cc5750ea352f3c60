"""Forms of attendance and decisions; built per process (its members, groups, priorities)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from klebepunkt.decisions.models import RULE_CHOICES, Presence
from klebepunkt.domain.decision import Votes
from klebepunkt.processes import models as process_models

NOT_RECORDED = ""
HANDS, PHONES, SECRET = "hands", "phones", "secret"


class AttendanceForm(forms.Form):
    """One choice per member: present, excused, absent or not recorded."""

    def __init__(
        self,
        *args: Any,
        members: Iterable[process_models.Member],
        recorded: Mapping[int, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.members = list(members)
        choices = [(NOT_RECORDED, _("not recorded")), *Presence.choices]
        for member in self.members:
            self.fields[f"member-{member.pk}"] = forms.ChoiceField(
                label=member.name,
                choices=choices,
                required=False,
                initial=recorded.get(member.pk, NOT_RECORDED),
            )

    def rows(self) -> list[tuple[process_models.Member, forms.BoundField]]:
        return [(member, self[f"member-{member.pk}"]) for member in self.members]

    def presence(self) -> dict[int, Presence | None]:
        return {
            member.pk: Presence(value)
            if (value := self.cleaned_data[f"member-{member.pk}"])
            else None
            for member in self.members
        }


class RuleForm(forms.Form):
    rule = forms.ChoiceField(label=_("decision rule"), choices=RULE_CHOICES)


class OpenDecisionForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("meeting"), queryset=process_models.Meeting.objects.none(), empty_label=None
    )
    goal = forms.ChoiceField(label=_("what is put to the vote"), required=False)
    how = forms.ChoiceField(
        label=_("how the members vote"),
        choices=[
            (HANDS, _("by show of hands, counted per stakeholder group")),
            (PHONES, _("on their phones, open (who voted what is kept for the minutes)")),
            (SECRET, _("on their phones, secret (no member is stored with a vote)")),
        ],
        initial=HANDS,
        required=False,  # not sent: by show of hands
        widget=forms.RadioSelect,
    )

    def __init__(
        self,
        *args: Any,
        process: process_models.Process,
        priorities: Iterable[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        meeting_field = self.fields["meeting"]
        assert isinstance(meeting_field, forms.ModelChoiceField)
        meeting_field.queryset = process.meetings.order_by("-date", "-id")
        goal_field = self.fields["goal"]
        assert isinstance(goal_field, forms.ChoiceField)
        goal_field.choices = [("", _("the whole priority list")), *priorities]


class CountsForm(forms.Form):
    """Yes, no and abstentions per stakeholder group with a voting right."""

    def __init__(
        self,
        *args: Any,
        groups: Iterable[process_models.StakeholderGroup],
        counts: Mapping[int, Votes],
        present: Mapping[int, int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.groups = list(groups)
        self.present = present
        for group in self.groups:
            votes = counts.get(group.pk, Votes(0, 0, 0))
            for key, label, value in (
                ("yes", _("yes"), votes.yes),
                ("no", _("no"), votes.no),
                ("abstain", _("abstentions"), votes.abstain),
            ):
                self.fields[f"{key}-{group.pk}"] = forms.IntegerField(
                    label=label, min_value=0, max_value=10_000, initial=value
                )

    def rows(self) -> list[tuple[process_models.StakeholderGroup, int, list[forms.BoundField]]]:
        return [
            (
                group,
                self.present.get(group.pk, 0),
                [self[f"{key}-{group.pk}"] for key in ("yes", "no", "abstain")],
            )
            for group in self.groups
        ]

    def votes(self) -> dict[int, Votes]:
        data = self.cleaned_data
        return {
            group.pk: Votes(
                data[f"yes-{group.pk}"], data[f"no-{group.pk}"], data[f"abstain-{group.pk}"]
            )
            for group in self.groups
        }

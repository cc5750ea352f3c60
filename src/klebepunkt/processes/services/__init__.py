"""Every write to a process: one function each, keyword-only, typed, one transaction.

Views and the CLI call these; they take domain values or plain arguments, never
a request. Errors a user can act on are ``ValidationError`` with messages that
name the field. A write that changes the result (the rules, a card's dots, who may
change the process) leaves a ``ChangeRecord`` in the same transaction (``history``).

One module per part of a process; every public function is named here.
"""

from klebepunkt.processes.services.imports import apply_tally_diff, import_process, replace_tally
from klebepunkt.processes.services.logins import save_login
from klebepunkt.processes.services.members import (
    GROUP_EXISTS,
    create_member,
    create_stakeholder_group,
    delete_meeting,
    delete_member,
    delete_stakeholder_group,
    import_members,
    save_meeting,
    update_member,
    update_stakeholder_group,
)
from klebepunkt.processes.services.process import (
    RULE_FIELDS,
    ProcessSettings,
    create_process,
    grant_role,
    revoke_role,
    update_process,
)
from klebepunkt.processes.services.rewording import reword_priority
from klebepunkt.processes.services.tally import (
    THEME_FIELD_EXISTS,
    CardFields,
    assign_card,
    create_card,
    create_goal,
    create_theme_field,
    delete_card,
    delete_goal,
    delete_theme_field,
    merge_goals,
    rename_theme_field,
    split_goal,
    update_card,
    update_goal,
)

__all__ = [
    "GROUP_EXISTS",
    "RULE_FIELDS",
    "THEME_FIELD_EXISTS",
    "CardFields",
    "ProcessSettings",
    "apply_tally_diff",
    "assign_card",
    "create_card",
    "create_goal",
    "create_member",
    "create_process",
    "create_stakeholder_group",
    "create_theme_field",
    "delete_card",
    "delete_goal",
    "delete_meeting",
    "delete_member",
    "delete_stakeholder_group",
    "delete_theme_field",
    "grant_role",
    "import_members",
    "import_process",
    "merge_goals",
    "rename_theme_field",
    "replace_tally",
    "revoke_role",
    "reword_priority",
    "save_login",
    "save_meeting",
    "split_goal",
    "update_card",
    "update_goal",
    "update_member",
    "update_process",
    "update_stakeholder_group",
]

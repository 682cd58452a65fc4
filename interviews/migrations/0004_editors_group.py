"""The "Editors" group: may view, add and change every record, never delete.

Deleting is for superusers only; merging participants or outlets (which removes
the merged rows through a service) counts as a change.
"""

from django.db import migrations

from interviews.migration_operations import interviews_permissions

GROUP = "Editors"
MODELS = ["event", "participant", "alias", "outlet", "outletalias", "appearance", "turn"]
ACTIONS = ["view", "add", "change"]


def create_editors(apps, schema_editor):
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    codenames += [f"view_historical{model}" for model in MODELS if model != "outletalias"]
    group.permissions.set(interviews_permissions(apps, codenames))


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0003_history_corrections_redirects"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]

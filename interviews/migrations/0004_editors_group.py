"""The "Editors" group: may view, add and change every record, never delete.

Deleting is for superusers only; merging participants or outlets (which removes
the merged rows through a service) counts as a change.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editors"
MODELS = ["event", "participant", "alias", "outlet", "outletalias", "appearance", "turn"]
ACTIONS = ["view", "add", "change"]


def create_editors(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    codenames += [f"view_historical{model}" for model in MODELS if model != "outletalias"]
    permissions = Permission.objects.filter(
        content_type__app_label="interviews", codename__in=codenames
    )
    group.permissions.set(permissions)


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0003_history_corrections_redirects"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]

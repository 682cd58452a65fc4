"""Operations the migrations share."""

from django.contrib.auth.management import create_permissions


def interviews_permissions(apps, codenames):
    """The interviews app's permissions of these codenames, made now if need be
    (Django makes permissions after all migrations have run)."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="interviews", codename__in=codenames)

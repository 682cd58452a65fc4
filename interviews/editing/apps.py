from django.contrib.admin.apps import AdminConfig


class EditorsAdminConfig(AdminConfig):
    """Django's admin, on the site that asks for a second factor (interviews/editing/site.py)."""

    default_site = "interviews.editing.site.EditorsAdminSite"

"""Editing: the admin where editors correct the data, its actions, and the services that
write (each recorded as a Correction, so imports keep it)."""

"""The read-only API: filters validate, selectors read, serializers represent, views serve."""

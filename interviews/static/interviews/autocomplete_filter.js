'use strict';
// An autocomplete list filter (interviews/editing/filters.py): choosing an object reloads
// the list filtered by it, from the first page.
{
    const $ = django.jQuery;
    $(document).on('change', 'select.interviews-autocomplete-filter', function() {
        const url = new URL(window.location.href);
        url.searchParams.delete('p');
        if (this.value) {
            url.searchParams.set(this.dataset.parameter, this.value);
        } else {
            url.searchParams.delete(this.dataset.parameter);
        }
        window.location.assign(url.toString());
    });
}

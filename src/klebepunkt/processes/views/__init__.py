"""The facilitator's pages, one module per page group. Thin: parse the request, call one
service, render.

Every view of a process goes through ``permissions.process_for``: a process the
user has no role in is a 404; a change by an observer is a 403. Writes are POST
only and protected by CSRF. HTMX requests get the named partial of the page.
"""

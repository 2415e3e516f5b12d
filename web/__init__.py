"""phoihop's web face: the JSON API under ``/api/`` and server-rendered pages at ``/``.

Both sit on the same services the CLI uses; this package only adds accounts,
access control, HTTP and HTML. ``web.app.create_app()`` builds the application.
"""

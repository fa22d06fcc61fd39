"""The staff admin: server-rendered pages for staff, catalysts and admins."""

"""Development tools of the project (generators); not part of the connect_contact package."""

"""Workspaces: the casting companies, the Slack teams and WhatsApp numbers linked to each,
and the members allowed to talk to them."""

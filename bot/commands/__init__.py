"""The text commands every channel shares: one grammar, one router (a pipeline step)."""

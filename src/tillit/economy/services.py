"""Every change in economy: checked, in a transaction, with history."""

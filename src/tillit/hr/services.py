"""Every change in hr: checked, in a transaction, with history."""

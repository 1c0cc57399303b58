"""Every change to referrals and cases. Each function is one transaction with its audit event."""

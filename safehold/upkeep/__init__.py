"""Keeping the service running (issue 19, ADR 0062): backups and their restore, the read-only
maintenance mode, the health endpoint for load balancers, and the structured request log.

It holds no personal data of its own; it reads the other apps only to copy their stores whole
(the backup) or to count their queue (health), so it sits on top of the layers beside the demo.
"""

"""Reassurance after enforcement: letter templates with merge fields (versioned), print batches
of personalised letters as one PDF, leaflet drops planned within a radius of a premises from the
places Safehold holds and partners' property lists, walking lists, deliveries and the
door-to-door visit log, whose "possible unknown victim" raises a referral into triage
(issue 15, item 3; ADR 0043)."""

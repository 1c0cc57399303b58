"""Finding people at risk before harm (issue 18): the "top indicators" list. Each indicator is a
named, documented rule over partner extracts and Safehold's own records; a person's score is the
sum of the weights of the indicators they meet, and every entry says why, with its evidence.
Nothing here acts on a person: the list is for a person to review (ADR 0058)."""
